// The emulator phone's API (src/emulator-phone/routes.ts): a customer of the built-in emulator.
import { api } from '../../api.js';

export interface PhoneNumber {
  senderId: string;
  name: string;
  provider: 'cloud' | 'ultramsg';
  /** The Cloud API phone number id, or the UltraMsg instance id. */
  phoneNumberId: string;
  displayPhone: string | null;
}

export interface PhoneCustomer {
  phone: string;
  name: string;
  persona: string | null;
  blocked: boolean;
  optedOutOfMarketing: boolean;
}

export interface ChatEntry {
  id: string;
  from: 'business' | 'customer';
  at: string;
  type: string;
  content: Record<string, any>;
  contextId: string | null;
  status: 'sent' | 'delivered' | 'read' | 'failed' | null;
  errorCode: number | null;
  template: { components: Array<Record<string, any>>; parameterFormat: string } | null;
}

export type CustomerMessage =
  | { type: 'text'; text: { body: string }; contextId?: string }
  | { type: 'image'; image: { dataBase64: string; mimeType: 'image/png'; caption?: string } }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { type: 'button'; button: { text: string; payload: string }; contextId: string }
  | { type: 'interactive'; interactive: { type: 'button_reply' | 'list_reply'; reply: { id: string; title: string; description?: string } }; contextId: string }
  | { type: 'reaction'; reaction: { messageId: string; emoji: string } };

const chatPath = (senderId: string, phone: string) => `/v1/emulator/phone/chats/${encodeURIComponent(senderId)}/${encodeURIComponent(phone)}`;

export const phoneKey = ['emulator-phone'] as const;
export const chatKey = (senderId: string, phone: string) => ['emulator-phone', 'chat', senderId, phone] as const;

export const readPhone = () => api<{ numbers: PhoneNumber[]; customers: PhoneCustomer[] }>('/v1/emulator/phone');
export const readChat = (senderId: string, phone: string) => api<{ customer: PhoneCustomer; entries: ChatEntry[] }>(chatPath(senderId, phone));
export const sendAsCustomer = (senderId: string, phone: string, message: CustomerMessage) => api<{ id: string }>(`${chatPath(senderId, phone)}/messages`, { method: 'POST', body: message });
export const readAsCustomer = (senderId: string, phone: string) => api<{ read: string[] }>(`${chatPath(senderId, phone)}/read`, { method: 'POST' });
export const setBlocked = (senderId: string, phone: string, blocked: boolean) => api<PhoneCustomer>(`${chatPath(senderId, phone)}/blocked`, { method: 'PUT', body: { blocked } });

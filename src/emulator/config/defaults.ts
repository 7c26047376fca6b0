import { DAY, SECOND } from '../../shared/time.js';
import type { Behaviour, EmulatorConfig, Faults, MemoryLimits, NumberLimits, PersonaConfig, TemplateComponent, TemplateCategory } from '../types.js';

// Meta's own example identifiers (the fixtures use them too), so recorded payloads and emulated ones look alike.
export const DEFAULT_WABA_ID = '102290129340398';

/**
 * UltraMsg's queue settings as it ships them: `sendDelay` 1 s between messages, `sendDelayMax` 15 s once
 * 10 or more are queued. Fast tests and benchmarks set `sendDelayMs: 0` (and `sendDelayMaxMs: 0`) explicitly.
 */
export const DEFAULT_SEND_DELAY_MS = SECOND;
export const DEFAULT_SEND_DELAY_MAX_MS = 15 * SECOND;

export const DEFAULT_LIMITS: NumberLimits = {
  throughputMps: 80,
  pairBurst: 45,
  pairBurstWindowMs: 6 * SECOND,
  pairIntervalMs: 6 * SECOND,
  serviceWindowMs: DAY,
  dailyUniqueRecipients: null,
  tierErrorCode: 131048,
  marketingCapPerUser: null,
  marketingCapWindowMs: DAY,
};

export const DEFAULT_BEHAVIOUR: Behaviour = {
  statusLatencyMs: { sent: [5, 40], delivered: [50, 400], read: [300, 3000] },
  deliveredRate: 0.98,
  readRate: 0.7,
  failedRate: 0,
  failedCode: 131026,
  duplicateRate: 0,
  reorderRate: 0,
  reorderDelayMs: 200,
  batchWindowMs: 25,
  maxBatchSize: 100,
  webhookTimeoutMs: 5 * SECOND,
  webhookConcurrency: 8,
  retry: { initialDelayMs: 250, maxDelayMs: 60 * SECOND, maxAttempts: 20 },
  // Built-in review rules imitate Meta's most common rejection (variables at the start or end of the body).
  templateReview: {
    delayMs: SECOND,
    rules: [
      {
        bodyPattern: '^\\s*\\{\\{[^}]+\\}\\}|\\{\\{[^}]+\\}\\}[\\s.!?]*$',
        decision: 'REJECTED',
        reason: 'INVALID_FORMAT',
        rejectionInfo: {
          reason: 'Variable parameters are placed at the start or end of the template body.',
          recommendation: 'Add text before the first and after the last variable.',
        },
      },
      { namePattern: 'reject', decision: 'REJECTED', reason: 'ABUSIVE_CONTENT' },
    ],
  },
  undeliverablePrefixes: [],
  defaultPersona: null,
  windowErrors: 'webhook',
  ultramsgAckIds: 'filled',
};

export const DEFAULT_FAULTS: Faults = {
  http5xxRate: 0,
  timeoutRate: 0,
  timeoutMs: 30 * SECOND,
  timeoutProcessed: false,
  slowRate: 0,
  slowMs: 2 * SECOND,
  error131000Rate: 0,
  error131016Rate: 0,
  tokenExpired: false,
  webhookOutage: false,
  ultramsgAckDropRate: 0,
};

export const DEFAULT_MEMORY: MemoryLimits = {
  maxMessages: 200_000,
  maxInboundMessages: 50_000,
  maxLogEntries: 5_000,
  maxPendingEvents: 200_000,
  maxMediaBytes: 64 * 1024 * 1024,
  maxCorrelationKeys: 500_000,
};

export const DEFAULT_PERSONA: PersonaConfig = { stopMarketingShare: 0, pressButtonShare: 0, replyShare: 0, replyText: 'Thanks!', replyDelayMs: [1000, 5000] };

export const DEFAULT_PERSONAS: Record<string, PersonaConfig> = {
  silent: { ...DEFAULT_PERSONA },
  engaged: { stopMarketingShare: 0.05, pressButtonShare: 0.6, replyShare: 0.3, replyText: 'Thanks, sounds good!', replyDelayMs: [1000, 5000] },
  unsubscriber: { stopMarketingShare: 0.5, pressButtonShare: 0.1, replyShare: 0, replyText: 'STOP', replyDelayMs: [500, 2000] },
};

type Translation = { language: string; components: TemplateComponent[] };
const translations = (name: string, category: TemplateCategory, list: Translation[]) =>
  list.map((t) => ({ name, category, language: t.language, components: t.components, status: 'APPROVED' as const, quality: 'GREEN' as const, parameterFormat: 'POSITIONAL' as const }));

const otp = (body: string, copy: string, expires: number) => [
  { type: 'BODY', text: body, add_security_recommendation: true },
  { type: 'FOOTER', code_expiration_minutes: expires },
  { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: copy }] },
];

/** Preloaded, approved templates: enough for demos and the other modules' tests. */
export const DEFAULT_TEMPLATES: EmulatorConfig['templates'] = [
  ...translations('hello_world', 'UTILITY', [
    { language: 'en_US', components: [{ type: 'HEADER', format: 'TEXT', text: 'Hello World' }, { type: 'BODY', text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification.' }, { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' }] },
    { language: 'es', components: [{ type: 'HEADER', format: 'TEXT', text: 'Hola mundo' }, { type: 'BODY', text: '¡Bienvenido y felicitaciones! Este mensaje demuestra que puedes enviar notificaciones por WhatsApp.' }] },
    { language: 'pt_BR', components: [{ type: 'HEADER', format: 'TEXT', text: 'Olá mundo' }, { type: 'BODY', text: 'Bem-vindo e parabéns! Esta mensagem demonstra que você pode enviar notificações pelo WhatsApp.' }] },
  ]),
  ...translations('order_update', 'UTILITY', [
    { language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is now {{3}}. Thank you for shopping with us.', example: { body_text: [['Asha', '#1023', 'on its way']] } }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Talk to support' }] }] },
    { language: 'es', components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está {{3}}. Gracias por tu compra.', example: { body_text: [['Asha', '#1023', 'en camino']] } }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Hablar con soporte' }] }] },
    { language: 'pt_BR', components: [{ type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} está {{3}}. Obrigado pela compra.', example: { body_text: [['Asha', '#1023', 'a caminho']] } }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Falar com suporte' }] }] },
  ]),
  ...translations('otp_code', 'AUTHENTICATION', [
    { language: 'en_US', components: otp('{{1}} is your verification code. For your security, do not share this code.', 'Copy code', 10) },
    { language: 'es', components: otp('Tu código de verificación es {{1}}. Por tu seguridad, no lo compartas.', 'Copiar código', 10) },
    { language: 'pt_BR', components: otp('Seu código de verificação é {{1}}. Para sua segurança, não o compartilhe.', 'Copiar código', 10) },
  ]),
  ...translations('promo_offer', 'MARKETING', [
    { language: 'en_US', components: [{ type: 'HEADER', format: 'TEXT', text: 'A little something for you' }, { type: 'BODY', text: 'Hi {{1}}, enjoy {{2}} off your next order with code {{3}}. Offer ends Sunday.', example: { body_text: [['Asha', '20%', 'SPRING20']] } }, { type: 'FOOTER', text: 'Reply STOP to opt out' }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Shop now' }, { type: 'QUICK_REPLY', text: 'Stop promotions' }] }] },
    { language: 'es', components: [{ type: 'BODY', text: 'Hola {{1}}, disfruta {{2}} de descuento con el código {{3}}. La oferta termina el domingo.', example: { body_text: [['Asha', '20%', 'SPRING20']] } }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Comprar' }, { type: 'QUICK_REPLY', text: 'No más promociones' }] }] },
    { language: 'pt_BR', components: [{ type: 'BODY', text: 'Olá {{1}}, aproveite {{2}} de desconto com o código {{3}}. A oferta termina domingo.', example: { body_text: [['Asha', '20%', 'SPRING20']] } }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Comprar' }, { type: 'QUICK_REPLY', text: 'Parar promoções' }] }] },
  ]),
];

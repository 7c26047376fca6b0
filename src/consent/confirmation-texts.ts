import type { OptKind } from './opt-out-keywords.js';

/**
 * The confirmation sent after a keyword or button opt-out / opt-in, per language. Each names the
 * keyword that undoes it, taken from that language's list (a test checks it is detected as the
 * opposite kind). `{link}` is replaced by the preference-centre sentence when a public URL is known.
 */
export interface ConfirmationText {
  optOut: string;
  optIn: string;
  /** Appended when a preference-centre link can be offered; `{url}` is the link. */
  manage: string;
}

export const CONFIRMATION_TEXTS: Readonly<Record<string, ConfirmationText>> = {
  en: {
    optOut: 'You have unsubscribed and will no longer receive promotional messages from us. Reply START to subscribe again.',
    optIn: 'You have subscribed again and will receive our messages. Reply STOP at any time to unsubscribe.',
    manage: 'Choose what you receive: {url}',
  },
  es: {
    optOut: 'Te has dado de baja y ya no recibirás mensajes promocionales. Responde ALTA para volver a suscribirte.',
    optIn: 'Te has vuelto a suscribir y recibirás nuestros mensajes. Responde BAJA en cualquier momento para darte de baja.',
    manage: 'Elige qué mensajes recibes: {url}',
  },
  pt: {
    optOut: 'Você cancelou a inscrição e não receberá mais mensagens promocionais. Responda INSCREVER para voltar a receber.',
    optIn: 'Sua inscrição foi reativada e você receberá nossas mensagens. Responda SAIR a qualquer momento para cancelar.',
    manage: 'Escolha o que deseja receber: {url}',
  },
  fr: {
    optOut: 'Vous êtes désabonné(e) et ne recevrez plus nos messages promotionnels. Répondez START pour vous réabonner.',
    optIn: 'Vous êtes à nouveau abonné(e) et recevrez nos messages. Répondez STOP à tout moment pour vous désabonner.',
    manage: 'Choisissez ce que vous recevez : {url}',
  },
  de: {
    optOut: 'Sie haben sich abgemeldet und erhalten keine Werbenachrichten mehr von uns. Antworten Sie START, um sich wieder anzumelden.',
    optIn: 'Sie sind wieder angemeldet und erhalten unsere Nachrichten. Antworten Sie jederzeit STOPP, um sich abzumelden.',
    manage: 'Wählen Sie, was Sie erhalten: {url}',
  },
  it: {
    optOut: "Hai annullato l'iscrizione e non riceverai più messaggi promozionali. Rispondi ISCRIVIMI per iscriverti di nuovo.",
    optIn: 'Ti sei iscritto di nuovo e riceverai i nostri messaggi. Rispondi STOP in qualsiasi momento per annullare l’iscrizione.',
    manage: 'Scegli cosa ricevere: {url}',
  },
  ar: {
    optOut: 'تم إلغاء اشتراكك ولن تصلك رسائل ترويجية منا بعد الآن. أرسل ابدأ للاشتراك مجددًا.',
    optIn: 'تم تفعيل اشتراكك مجددًا وستصلك رسائلنا. أرسل توقف في أي وقت لإلغاء الاشتراك.',
    manage: 'اختر الرسائل التي تصلك: {url}',
  },
  hi: {
    optOut: 'आपने सदस्यता समाप्त कर दी है और अब आपको हमारे प्रचार संदेश नहीं मिलेंगे। फिर से सदस्यता लेने के लिए शुरू भेजें।',
    optIn: 'आपकी सदस्यता फिर से शुरू हो गई है और आपको हमारे संदेश मिलेंगे। सदस्यता समाप्त करने के लिए कभी भी रोकें भेजें।',
    manage: 'चुनें कि आपको क्या मिले: {url}',
  },
  id: {
    optOut: 'Anda telah berhenti berlangganan dan tidak akan menerima pesan promosi dari kami lagi. Balas MULAI untuk berlangganan kembali.',
    optIn: 'Anda telah berlangganan kembali dan akan menerima pesan kami. Balas BERHENTI kapan saja untuk berhenti berlangganan.',
    manage: 'Pilih pesan yang Anda terima: {url}',
  },
};

/** The keyword each confirmation tells the customer to send, by language and by what it undoes. */
export const CONFIRMATION_KEYWORDS: Readonly<Record<string, { optOut: string; optIn: string }>> = {
  en: { optOut: 'START', optIn: 'STOP' },
  es: { optOut: 'ALTA', optIn: 'BAJA' },
  pt: { optOut: 'INSCREVER', optIn: 'SAIR' },
  fr: { optOut: 'START', optIn: 'STOP' },
  de: { optOut: 'START', optIn: 'STOPP' },
  it: { optOut: 'ISCRIVIMI', optIn: 'STOP' },
  ar: { optOut: 'ابدأ', optIn: 'توقف' },
  hi: { optOut: 'शुरू', optIn: 'रोकें' },
  id: { optOut: 'MULAI', optIn: 'BERHENTI' },
};

// Languages by country, for customers whose language is unknown (the countries where each of the
// confirmation languages is the main one).
const COUNTRY_LANGUAGE: Record<string, string> = Object.fromEntries([
  ...'BR PT AO MZ CV GW ST TL'.split(' ').map((c) => [c, 'pt']),
  ...'ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY PR GQ'.split(' ').map((c) => [c, 'es']),
  ...'FR MC SN CI ML BF NE GN BJ TG CM GA CG CD MG HT RE GP MQ GF NC PF'.split(' ').map((c) => [c, 'fr']),
  ...'DE AT LI'.split(' ').map((c) => [c, 'de']),
  ...'IT SM VA'.split(' ').map((c) => [c, 'it']),
  ...'SA AE EG IQ JO KW LB LY OM QA SY YE BH SD PS DZ MA TN MR'.split(' ').map((c) => [c, 'ar']),
  ...'ID'.split(' ').map((c) => [c, 'id']),
]);

const base = (language: string | null | undefined): string | undefined => language?.toLowerCase().split(/[-_]/)[0];

/**
 * The language to confirm in: the contact's own language if we have texts for it; else the
 * keyword's language (if the word belongs to one language, or to several of which one is the
 * country's); else the country's; else English.
 */
export function confirmationLanguage(input: { contactLanguage?: string | null; keywordLanguages?: readonly string[]; country?: string | null }): string {
  const own = base(input.contactLanguage);
  if (own && CONFIRMATION_TEXTS[own]) return own;
  const byCountry = input.country ? COUNTRY_LANGUAGE[input.country.toUpperCase()] : undefined;
  const keyword = input.keywordLanguages ?? [];
  if (keyword.length === 1 && CONFIRMATION_TEXTS[keyword[0]]) return keyword[0];
  if (byCountry && (keyword.length === 0 || keyword.includes(byCountry))) return byCountry;
  if (keyword.length > 0 && CONFIRMATION_TEXTS[keyword[0]]) return keyword[0];
  return byCountry ?? 'en';
}

export function confirmationText(kind: OptKind, language: string, preferenceUrl?: string): string {
  const texts = CONFIRMATION_TEXTS[language] ?? CONFIRMATION_TEXTS.en;
  const main = kind === 'opt_out' ? texts.optOut : texts.optIn;
  return preferenceUrl ? `${main}\n${texts.manage.replace('{url}', preferenceUrl)}` : main;
}

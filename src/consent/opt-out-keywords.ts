/**
 * Opt-out and opt-in keywords by language, and their detection. Pure.
 *
 * A message is a keyword only when the WHOLE message is one (after normalization): "STOP" and
 * " stop! " are, "stop by tomorrow?" and "don't stop" are not. Normalization: case-insensitive,
 * accents and Arabic diacritics ignored ("ARRÊT" = "arret", "أوقف" = "اوقف"), punctuation, symbols
 * and emoji at either end ignored, inner hyphens, apostrophes, underscores and dots read as spaces
 * ("opt-out" = "opt out"), runs of spaces as one.
 *
 * Deliberately absent: words that in a conversation usually answer a question rather than ask to
 * stop or start (English CANCEL, END, QUIT, YES; Portuguese VOLTAR, "back" in bot menus; Hindi बंद
 * alone, also "closed?"). A business that wants them can match button payloads instead.
 */
export type OptKind = 'opt_out' | 'opt_in';

export interface KeywordList {
  language: string;
  optOut: readonly string[];
  optIn: readonly string[];
}

export const KEYWORD_LISTS: readonly KeywordList[] = [
  {
    language: 'en',
    optOut: ['STOP', 'STOP ALL', 'STOPALL', 'UNSUBSCRIBE', 'UNSUB', 'OPT OUT', 'OPTOUT', 'STOP PROMOTIONS', 'STOP MESSAGES', 'REMOVE ME'],
    optIn: ['START', 'UNSTOP', 'SUBSCRIBE', 'RESUBSCRIBE', 'OPT IN', 'OPTIN'],
  },
  {
    language: 'es',
    optOut: ['BAJA', 'DAR DE BAJA', 'DARME DE BAJA', 'PARAR', 'DETENER', 'CANCELAR SUSCRIPCIÓN', 'DESUSCRIBIR', 'DESUSCRIBIRME', 'NO MÁS MENSAJES'],
    optIn: ['ALTA', 'DAR DE ALTA', 'DARME DE ALTA', 'SUSCRIBIR', 'SUSCRIBIRME', 'REANUDAR'],
  },
  {
    language: 'pt',
    optOut: ['PARAR', 'PARE', 'SAIR', 'DESCADASTRAR', 'DESCADASTRE', 'DESCADASTRAR-ME', 'DESCADASTRE-ME', 'CANCELAR INSCRIÇÃO', 'NÃO QUERO MAIS', 'NÃO QUERO RECEBER'],
    optIn: ['INSCREVER', 'REINSCREVER', 'QUERO RECEBER', 'VOLTAR A RECEBER'],
  },
  {
    language: 'fr',
    optOut: ['ARRÊT', 'ARRÊTER', 'STOP', 'DÉSABONNER', 'ME DÉSABONNER', 'DÉSABONNEMENT', 'DÉSINSCRIRE', 'ME DÉSINSCRIRE', 'DÉSINSCRIPTION'],
    optIn: ['ABONNER', "M'ABONNER", 'RÉABONNER', 'ME RÉABONNER', 'REPRENDRE', 'START'],
  },
  {
    language: 'de',
    optOut: ['ABMELDEN', 'STOPP', 'STOP', 'ABBESTELLEN', 'AUSTRAGEN', 'KEINE WERBUNG'],
    optIn: ['ANMELDEN', 'STARTEN', 'START', 'ABONNIEREN'],
  },
  {
    language: 'it',
    optOut: ['STOP', 'DISISCRIVI', 'DISISCRIVIMI', 'CANCELLAMI', 'CANCELLA ISCRIZIONE', 'ANNULLA ISCRIZIONE'],
    optIn: ['ISCRIVI', 'ISCRIVIMI', 'RIATTIVA', 'AVVIA', 'START'],
  },
  {
    language: 'ar',
    optOut: ['توقف', 'قف', 'إيقاف', 'أوقف', 'إلغاء الاشتراك', 'ايقاف الرسائل'],
    optIn: ['ابدأ', 'اشتراك', 'اشترك', 'تفعيل'],
  },
  {
    language: 'hi',
    optOut: ['बंद करो', 'बंद करें', 'रोको', 'रोकें', 'सदस्यता रद्द करें', 'अनसब्सक्राइब', 'BAND KARO', 'BAND KAREN', 'BANDH KARO'],
    optIn: ['शुरू', 'शुरू करो', 'शुरू करें', 'सदस्यता लें', 'SHURU', 'SHURU KARO'],
  },
  {
    language: 'id',
    optOut: ['BERHENTI', 'STOP', 'BERHENTI LANGGANAN', 'HENTIKAN', 'BATAL LANGGANAN', 'UNREG'],
    optIn: ['MULAI', 'BERLANGGANAN', 'LANGGANAN LAGI', 'START'],
  },
];

/** Normalizes a message (or a keyword) for comparison; see the module comment. */
export function normalizeKeyword(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // Latin accents
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '') // Arabic diacritics, hamza marks, tatweel
    .replace(/\u0671/g, '\u0627')
    .replace(/\u0649/g, '\u064a')
    .normalize('NFC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, '')
    .replace(/[-'’_.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface KeywordMatch {
  kind: OptKind;
  /** The keyword as normalized. */
  keyword: string;
  /** Languages whose list holds it (STOP is English, French, German, Italian and Indonesian). */
  languages: string[];
}

function buildIndex(lists: readonly KeywordList[]): Map<string, KeywordMatch> {
  const index = new Map<string, KeywordMatch>();
  for (const list of lists) {
    for (const [kind, words] of [['opt_out', list.optOut], ['opt_in', list.optIn]] as const) {
      for (const word of words) {
        const keyword = normalizeKeyword(word);
        const existing = index.get(keyword);
        if (existing && existing.kind !== kind) throw new Error(`Keyword ${word} is both an opt-out and an opt-in word.`);
        if (existing) {
          if (!existing.languages.includes(list.language)) existing.languages.push(list.language);
        } else index.set(keyword, { kind, keyword, languages: [list.language] });
      }
    }
  }
  return index;
}

const INDEX = buildIndex(KEYWORD_LISTS);

/** The opt-out or opt-in keyword this whole message is, if it is one. */
export function detectOptKeyword(text: string | undefined | null): KeywordMatch | undefined {
  if (!text || text.length > 64) return undefined;
  const match = INDEX.get(normalizeKeyword(text));
  return match && { ...match, languages: [...match.languages] };
}

/** True when a quick-reply or interactive payload is one of the configured ones (case-insensitive, trimmed). */
export function payloadMatches(payload: string | undefined | null, configured: readonly string[]): boolean {
  if (!payload) return false;
  const wanted = payload.trim().toUpperCase();
  return configured.some((p) => p.trim().toUpperCase() === wanted);
}

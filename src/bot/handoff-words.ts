/**
 * Phrases with which customers ask for a person, by language: the shipped list a flow's
 * `handoff.askForHuman` replaces. Matched like intents (case, accents and small typos tolerated; the
 * words in order anywhere in the message), so "quero falar com um atendente" and "can I talk to a
 * human please" both ask. Kept to phrases that rarely mean anything else in a support chat.
 */
export const ASK_FOR_HUMAN: Readonly<Record<string, readonly string[]>> = {
  en: ['agent', 'human', 'real person', 'talk to a person', 'speak to someone', 'customer service', 'representative', 'operator'],
  pt: ['atendente', 'humano', 'falar com uma pessoa', 'falar com alguem', 'pessoa real', 'atendimento humano', 'operador'],
  es: ['agente', 'humano', 'hablar con una persona', 'hablar con alguien', 'persona real', 'asesor', 'operador'],
  fr: ['conseiller', 'humain', 'parler a quelqu un', 'une vraie personne', 'service client', 'operateur'],
  de: ['mitarbeiter', 'mensch', 'echte person', 'kundenservice', 'berater'],
  it: ['operatore', 'umano', 'parlare con una persona', 'persona reale', 'assistenza clienti'],
  id: ['agen', 'manusia', 'bicara dengan orang', 'customer service', 'operator'],
};

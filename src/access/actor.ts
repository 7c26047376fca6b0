export const ACTOR_TYPES = ['api_key', 'user', 'customer', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who did something (recorded consent, merged contacts, erased one). `via` names the API key a user acted through. */
export interface Actor {
  type: ActorType;
  id: string;
  via?: string;
}

/** The actor of a request made with an API key. */
export const apiKeyActor = (auth: { keyId: string }): Actor => ({ type: 'api_key', id: auth.keyId });

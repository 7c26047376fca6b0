/**
 * The link an invitation is accepted through: the console's page, with the token in the fragment so
 * that it never reaches a server's access log. The page posts it to `POST /v1/invitations/accept`.
 */
export const invitationUrl = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/+$/, '')}/console/invitation#token=${token}`;

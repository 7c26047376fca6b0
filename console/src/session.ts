import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, rememberCsrfToken, type SessionView } from './api.js';

export const SESSION_KEY = ['session'] as const;

/** Who is signed in: null when nobody is (the API answers 401). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        const session = await api<SessionView>('/v1/session');
        rememberCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api<SessionView>('/v1/session', { method: 'POST', body: input }),
    onSuccess: (session) => {
      rememberCsrfToken(session.csrfToken);
      client.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/v1/session', { method: 'DELETE' }),
    // Signed out (or the session had ended already): nothing of what was shown stays in memory.
    onSettled: () => {
      rememberCsrfToken(null);
      client.setQueryData(SESSION_KEY, null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    },
  });
}

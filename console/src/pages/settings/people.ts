import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';

// Users and teams as /v1/users and /v1/teams return them, shared by the users and teams pages.

export const ROLES = ['admin', 'supervisor', 'agent', 'analyst', 'developer'] as const;

export interface User {
  id: string;
  name: string;
  email: string;
  role: string;
  status: string;
  teams: string[];
}

export interface Team {
  id: string;
  name: string;
  members: string[];
  createdAt: string;
}

export const USERS_KEY = ['settings', 'users'] as const;
export const TEAMS_KEY = ['settings', 'teams'] as const;

export const useUsers = (enabled = true) => useQuery({ queryKey: USERS_KEY, queryFn: () => api<{ data: User[] }>('/v1/users').then((r) => r.data), enabled });
export const useTeams = (enabled = true) => useQuery({ queryKey: TEAMS_KEY, queryFn: () => api<{ data: Team[] }>('/v1/teams').then((r) => r.data), enabled });

/** Trust and safety through the studio process: reports, reputation, takedown cases and appeals, provenance, badges. */
import type { ApiInput } from '@shared/api.ts';
import { api } from '../api.ts';
import { useLoad } from './load.ts';

export const report = (input: ApiInput<'trust.report'>) => api.call('trust.report', input);
export const useBadges = (remoteId: string) => useLoad(() => api.call('trust.badges', { remoteId }), [remoteId]);
export const provenance = (remoteId: string) => api.call('trust.provenance', { remoteId });
export const useReputation = () => useLoad(() => api.call('trust.reputation', {}), []);
export const useMyCases = () => useLoad(() => api.call('trust.myCases', {}), []);
export const appealTakedown = (caseId: number, reason: string) => api.call('trust.appeal', { caseId, reason });
export const useCases = (state: 'open' | 'appeals') => useLoad(() => api.call('trust.cases', { state }), [state]);
export const decideCase = (input: ApiInput<'trust.decideCase'>) => api.call('trust.decideCase', input);
export const decideAppeal = (input: ApiInput<'trust.decideAppeal'>) => api.call('trust.decideAppeal', input);

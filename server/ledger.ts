/** The double-entry ledger's postings and balances live in server/repos/ledger.ts (they are SQL); re-exported for existing importers. */
export * from './repos/ledger.ts';

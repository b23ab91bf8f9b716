/** The draft card the editor works on, the asset types' labels, and a blank card per type (shared/blank-card.ts). */
export { type DraftCard, TYPE_LABELS, blankCard } from '@shared/blank-card.ts';

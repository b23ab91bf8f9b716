/**
 * The submissions still running for each listing (new versions of it), so that withdrawing the
 * listing can cancel them: each registers its AbortController while it runs, and cancel() aborts
 * every one registered for the listing with the reason given.
 */
export class InFlight {
  private readonly byListing = new Map<string, Set<AbortController>>();

  /** Registers a running submission for `listingId`; the returned function unregisters it. */
  join(listingId: string, ac: AbortController): () => void {
    let set = this.byListing.get(listingId);
    if (!set) {
      set = new Set();
      this.byListing.set(listingId, set);
    }
    set.add(ac);
    return () => {
      const s = this.byListing.get(listingId);
      if (!s) return;
      s.delete(ac);
      if (s.size === 0) this.byListing.delete(listingId);
    };
  }

  /** Aborts the submissions running for `listingId` with `reason()`; returns how many. */
  cancel(listingId: string, reason: () => Error): number {
    const set = this.byListing.get(listingId);
    if (!set) return 0;
    this.byListing.delete(listingId);
    for (const ac of set) ac.abort(reason());
    return set.size;
  }

  /** Submissions running for `listingId` (tests and diagnostics). */
  count(listingId: string): number {
    return this.byListing.get(listingId)?.size ?? 0;
  }
}

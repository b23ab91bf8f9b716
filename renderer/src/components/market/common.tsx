/** Small pieces shared by the marketplace screens. */
import type { NormBox } from '@shared/check.ts';
import { RegionImage } from '../evidence.tsx';
import { type ReactNode, useEffect, useState } from 'react';
import { marketImage } from '../../data/market.ts';
import { useStudio } from '../../state/store.ts';
import { selectToast } from '../../state/toasts.ts';

/** A marketplace image, fetched through the main process. */
export function MarketImage({
  path,
  alt,
  box,
  outline,
}: {
  path: string | null;
  alt: string;
  /** A matched region to outline (review evidence). */
  box?: NormBox | undefined;
  outline?: [number, number][] | undefined;
}) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void marketImage(path)
      ?.then((u) => live && setSrc(u))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [path]);
  if (!src) return <div className="no-image">{path ? 'Loading…' : 'No image'}</div>;
  return box || outline ? <RegionImage src={src} alt={alt} box={box} outline={outline} /> : <img src={src} alt={alt} />;
}

/** Runs an action, shows its error as a toast; returns its result or null. */
export function useAction() {
  const toast = useStudio(selectToast);
  const [busy, setBusy] = useState(false);
  async function run<T>(fn: () => Promise<T>, ok?: string): Promise<T | null> {
    setBusy(true);
    try {
      const r = await fn();
      if (ok) toast(ok);
      return r;
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'error');
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { busy, run };
}

export function Screen(props: { title: string; label?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="screen" aria-label={props.label ?? props.title}>
      <header className="screen-head">
        <h1>{props.title}</h1>
        <div className="spacer" />
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

export function Problem({ error }: { error: string | null }) {
  return error ? (
    <p className="banner error" role="alert">
      {error}
    </p>
  ) : null;
}

export const STATUS_LABEL: Record<string, string> = {
  pending: 'queued',
  in_review: 'in review',
  changes_requested: 'changes requested',
  rejected: 'rejected',
  published: 'published',
  withdrawn: 'withdrawn',
  taken_down: 'taken down',
};

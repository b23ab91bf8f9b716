/**
 * Tabs after the WAI-ARIA tabs pattern: a tablist whose selected tab alone is in the Tab order
 * (roving tabindex), Left/Right arrows move to the previous/next enabled tab (wrapping), Home/End to
 * the first/last, and moving selects the tab (automatic activation). One panel (TabPanel) shows the
 * selected tab's content: every tab names it with aria-controls, and it is labelled by the selected tab.
 */
import { type KeyboardEvent, type ReactNode, useRef } from 'react';

export interface TabItem<T extends string> {
  id: T;
  label: ReactNode;
  disabled?: boolean;
}

/** The ids a tab and its panel get, so Tabs and TabPanel agree on them. */
export const tabId = (base: string, id: string) => `${base}-tab-${id}`;
export const panelId = (base: string) => `${base}-panel`;

/** The tab a key moves to from `from`, skipping disabled ones; null for any other key. Pure, for the unit test. */
export function nextTab<T extends string>(tabs: readonly TabItem<T>[], from: T, key: string): T | null {
  const enabled = tabs.filter((t) => !t.disabled);
  if (enabled.length === 0) return null;
  const i = enabled.findIndex((t) => t.id === from);
  switch (key) {
    case 'ArrowRight':
      return (enabled[(i + 1) % enabled.length] as TabItem<T>).id;
    case 'ArrowLeft':
      return (enabled[(i - 1 + enabled.length) % enabled.length] as TabItem<T>).id;
    case 'Home':
      return (enabled[0] as TabItem<T>).id;
    case 'End':
      return (enabled[enabled.length - 1] as TabItem<T>).id;
    default:
      return null;
  }
}

export function Tabs<T extends string>(props: {
  /** The tablist's accessible name. */
  label: string;
  /** A page-unique prefix for the tab and panel ids. */
  idBase: string;
  tabs: readonly TabItem<T>[];
  value: T;
  onChange: (id: T) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const to = nextTab(props.tabs, props.value, e.key);
    if (to === null) return;
    e.preventDefault();
    props.onChange(to);
    list.current?.ownerDocument.getElementById(tabId(props.idBase, to))?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={props.label} ref={list}>
      {props.tabs.map((t) => {
        const selected = t.id === props.value;
        return (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={tabId(props.idBase, t.id)}
            aria-selected={selected}
            aria-controls={panelId(props.idBase)}
            tabIndex={selected ? 0 : -1}
            disabled={t.disabled}
            onClick={() => props.onChange(t.id)}
            onKeyDown={onKeyDown}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}

/** The panel: focusable (Tab from the tablist lands in it), labelled by the selected tab. */
export function TabPanel(props: { idBase: string; value: string; className?: string; children: ReactNode }) {
  return (
    <div
      role="tabpanel"
      id={panelId(props.idBase)}
      aria-labelledby={tabId(props.idBase, props.value)}
      tabIndex={0}
      className={props.className}
    >
      {props.children}
    </div>
  );
}

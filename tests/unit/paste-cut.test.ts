// @vitest-environment jsdom
/**
 * A paste longer than a field's limit: the browser keeps what fits without a word (maxLength), and
 * the field's counter says how many pasted characters were left out, until the text changes again
 * (renderer/src/components/fields.tsx usePasteCut). jsdom does not insert pasted text, so the test
 * sends the paste event and then the change the browser would make.
 */
import { act, createElement, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { TextArea, TextInput } from '../../renderer/src/components/fields.tsx';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();

function Form({ area }: { area: boolean }) {
  const [v, setV] = useState('Ser ');
  return createElement(area ? TextArea : TextInput, { label: 'Name', value: v, onChange: setV, maxLength: 20 });
}

async function paste(el: HTMLInputElement | HTMLTextAreaElement, text: string) {
  const ev = new Event('paste', { bubbles: true, cancelable: true });
  Object.defineProperty(ev, 'clipboardData', { value: { getData: () => text } });
  await act(async () => void el.dispatchEvent(ev));
}

async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  await act(async () => void el.dispatchEvent(new Event('input', { bubbles: true })));
}

describe('a paste cut at the field’s limit says so', () => {
  for (const area of [false, true]) {
    it(area ? 'text area' : 'text input', async () => {
      await dom.render(createElement(Form, { area }));
      const el = dom.host.querySelector(area ? 'textarea' : 'input') as HTMLInputElement | HTMLTextAreaElement;
      el.setSelectionRange(4, 4);
      await paste(el, 'Aldric of the Ashen Chapel');
      await type(el, 'Ser Aldric of the As');
      expect(dom.host.querySelector('.char-count')?.textContent).toBe(
        '20 / 20 characters — the limit; the last 10 pasted characters did not fit and were left out',
      );
      // The next edit (a character deleted) clears it.
      await type(el, 'Ser Aldric of the A');
      expect(dom.host.querySelector('.char-count')?.textContent).toBe('19 / 20 characters');
    });
  }

  it('a paste that fits says nothing', async () => {
    await dom.render(createElement(Form, { area: false }));
    const el = dom.host.querySelector('input') as HTMLInputElement;
    el.setSelectionRange(4, 4);
    await paste(el, 'Aldric');
    await type(el, 'Ser Aldric');
    expect(dom.host.querySelector('.char-count')).toBeNull();
  });
});

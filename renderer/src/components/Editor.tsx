import { useEffect, useRef, useState } from 'react';
import { AGE_RATINGS, ASSET_TYPES, type AssetType, MEDIA_KINDS } from '@shared/asset.ts';
import { api, fileToBase64 } from '../api.ts';
import { type DraftCard, TYPE_LABELS, useStudio } from '../store.ts';
import { ListInput, NumberInput, Select, TextArea, TextInput } from './fields.tsx';
import { Revisions } from './Revisions.tsx';
import { UniquenessPanel } from './UniquenessPanel.tsx';
import { MediaPreview } from './media.tsx';
import { PublishPanel } from './market/PublishPanel.tsx';
import { useFileDrop } from './useFileDrop.ts';

type Sub = Record<string, unknown>;

function JsonArea(props: { label: string; value: unknown; onChange: (v: unknown) => void; error?: string | undefined }) {
  const [text, setText] = useState(() => JSON.stringify(props.value ?? {}, null, 2));
  const [err, setErr] = useState<string | null>(null);
  return (
    <TextArea
      label={props.label}
      mono
      rows={5}
      value={text}
      error={err ?? props.error}
      onChange={(t) => {
        setText(t);
        try {
          props.onChange(JSON.parse(t));
          setErr(null);
        } catch (e) {
          setErr(`not valid JSON yet: ${(e as Error).message}`);
        }
      }}
    />
  );
}

export function Editor() {
  const s = useStudio();
  const draft = s.draft;
  const fileRef = useRef<HTMLInputElement>(null);
  const mediaRef = useRef<HTMLInputElement>(null);
  const [tab, setTab] = useState<'edit' | 'history' | 'market'>('edit');
  const [imageError, setImageError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);

  // Re-run the uniqueness check shortly after the creator stops typing.
  useEffect(() => {
    if (!draft) return;
    const t = setTimeout(() => void s.runCheck(), 400);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft]);

  useEffect(() => setTab('edit'), [s.current?.id]);
  const drop = useFileDrop((files) => {
    const f = files[0];
    if (f) void (draft?.asset_type === 'media' ? importMedia(f) : importImage(f));
  });

  if (!draft) return null;
  const err = (field: string): string | undefined => {
    for (const e of [s.editorError, s.checkError]) if (e?.field && (e.field === `card.${field}` || e.field === field)) return e.message;
    return undefined;
  };
  const sub = (k: string): Sub => (draft[k] as Sub | undefined) ?? {};
  const setSub = (k: string, patch: Sub) => s.updateDraft({ [k]: { ...sub(k), ...patch } } as Partial<DraftCard>);
  const type = draft.asset_type;

  async function importImage(file: File) {
    setImageError(null);
    setImporting(true);
    try {
      const ref = await api.call('images.import', { name: file.name, data: await fileToBase64(file) });
      s.setImage(ref.sha);
      if (type === 'media') setSub('media', { type: 'image', format: 'webp', size: ref.bytes });
    } catch (e) {
      setImageError((e as Error).message);
    } finally {
      setImporting(false);
    }
  }

  /** Audio/video travel as files: a path in Electron (the dialog's when no file is given), a streamed upload in browser mode. */
  async function importMedia(file?: File) {
    setImageError(null);
    setImporting(true);
    try {
      if (file?.type.startsWith('image/')) return await importImage(file);
      const ref = await api.importMedia(file);
      if (!ref) return;
      setSub('media', { type: ref.kind, format: ref.format, size: ref.size, sha256: ref.sha });
    } catch (e) {
      setImageError((e as Error).message);
    } finally {
      setImporting(false);
    }
  }

  async function exportCard() {
    if (!s.current) return;
    try {
      const r = await api.call('cards.export', { id: s.current.id });
      const download = (blob: Blob, name: string) => {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = name;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      };
      download(new Blob([JSON.stringify(r.card, null, 2)], { type: 'application/json' }), r.fileName);
      if (r.image && r.imageFileName)
        download(new Blob([Uint8Array.from(atob(r.image), (c) => c.charCodeAt(0))], { type: 'image/webp' }), r.imageFileName);
      s.toast(`Exported ${r.fileName}${r.imageFileName ? ` and ${r.imageFileName}` : ''}`);
    } catch (e) {
      s.toast((e as Error).message, 'error');
    }
  }

  const limits = s.info?.limits;
  const ch = sub('character');
  const gen = sub('visual_generation');

  return (
    <div className="editor-layout">
      <section className="editor" aria-label="Asset editor">
        <header className="editor-head">
          <button type="button" className="link" onClick={() => s.go({ name: 'library' })}>
            ← Library
          </button>
          <h1>{draft.name || 'Untitled'}</h1>
          <span className="sub">
            {TYPE_LABELS[type]}
            {s.current ? ` · revision ${s.current.rev}` : ' · not saved yet'}
            {s.dirty ? ' · unsaved changes' : ''}
          </span>
          <span className="spacer" />
          <div role="tablist" aria-label="Editor views" className="tabs">
            <button type="button" role="tab" aria-selected={tab === 'edit'} onClick={() => setTab('edit')}>
              Edit
            </button>
            <button type="button" role="tab" aria-selected={tab === 'history'} disabled={!s.current} onClick={() => setTab('history')}>
              History{s.revisions.length ? ` (${s.revisions.length})` : ''}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'market'} disabled={!s.current} onClick={() => setTab('market')}>
              Marketplace
            </button>
          </div>
          {s.current && (
            <button type="button" onClick={() => void exportCard()}>
              Export card
            </button>
          )}
          <button type="button" className="primary" disabled={s.saving} onClick={() => void s.save()}>
            {s.saving ? 'Saving…' : 'Save (Ctrl+S)'}
          </button>
        </header>

        {s.editorError && (
          <div className="banner error" role="alert">
            Not saved: {s.editorError.message}
          </div>
        )}

        {tab === 'market' && s.current ? (
          <PublishPanel assetId={s.current.id} />
        ) : tab === 'history' ? (
          <Revisions />
        ) : (
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void s.save();
            }}
          >
            <fieldset>
              <legend>Basics</legend>
              <Select
                label="Type"
                value={type}
                options={ASSET_TYPES.map((t) => [t, TYPE_LABELS[t]] as const)}
                onChange={(v) => s.updateDraft({ asset_type: v as AssetType })}
                error={err('asset_type')}
              />
              <TextInput label="Name" name="name" value={draft.name} onChange={(v) => s.updateDraft({ name: v })} error={err('name')} />
              <TextArea
                label="Description"
                value={draft.description}
                onChange={(v) => s.updateDraft({ description: v })}
                error={err('description')}
              />
              <ListInput label="Tags" value={draft.tags} onChange={(v) => s.updateDraft({ tags: v })} error={err('tags')} />
              <div className="row">
                <TextInput
                  label="Category"
                  value={draft.category as string | undefined}
                  onChange={(v) => s.updateDraft({ category: v || undefined })}
                  error={err('category')}
                />
                <Select
                  label="Age rating"
                  value={(draft.age_rating as string | undefined) ?? ''}
                  options={[['', 'Not set'] as const, ...AGE_RATINGS.map((r) => [r, r === 'all' ? 'All ages' : r] as const)]}
                  onChange={(v) => s.updateDraft({ age_rating: v || undefined })}
                />
              </div>
            </fieldset>

            {type !== 'custom_module' && (
              <fieldset className={`image-drop${drop.dragging ? ' dragging' : ''}`} {...drop.handlers}>
                <legend>{type === 'media' ? 'Media file' : 'Image'}</legend>
                {type === 'media' && typeof sub('media').sha256 === 'string' && sub('media').type !== 'image' ? (
                  <MediaPreview sha={sub('media').sha256 as string} />
                ) : s.imageSha ? (
                  <img className="preview" src={api.imageUrl(s.imageSha)} alt={`Image of ${draft.name}`} />
                ) : type === 'media' ? (
                  <p className="hint">Drop an image, a video or an audio file here, or choose one.</p>
                ) : (
                  <p className="hint">Drop an image here, or choose one. It is stored as WebP.</p>
                )}
                <div className="row">
                  <button
                    type="button"
                    onClick={() =>
                      type !== 'media' ? fileRef.current?.click() : api.mode === 'electron' ? void importMedia() : mediaRef.current?.click()
                    }
                    disabled={importing}
                  >
                    {importing ? 'Importing…' : s.imageSha || sub('media').sha256 ? 'Replace…' : 'Choose file…'}
                  </button>
                  {s.imageSha && (
                    <button type="button" onClick={() => s.setImage(null)}>
                      Remove image
                    </button>
                  )}
                </div>
                <input
                  ref={fileRef}
                  type="file"
                  accept="image/*"
                  hidden
                  aria-label="Choose an image file"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (f) void importImage(f);
                    e.target.value = '';
                  }}
                />
                <input
                  ref={mediaRef}
                  type="file"
                  accept="image/*,video/*,audio/*,.mkv,.opus,.m4a,.flac"
                  hidden
                  aria-label="Choose a media file"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (f) void importMedia(f);
                    e.target.value = '';
                  }}
                />
                {limits && (
                  <p className="hint">
                    Images: {limits.image.formats.join(', ')} up to {limits.image.maxBytes / 1024 / 1024} MB and{' '}
                    {limits.image.maxPixels / 1e6} megapixels
                    {type === 'media' &&
                      ` · Video: ${limits.video.formats.join(', ')} up to ${limits.video.maxBytes / 1024 / 1024} MB · Audio: ${limits.audio.formats.join(', ')} up to ${limits.audio.maxBytes / 1024 / 1024} MB`}
                  </p>
                )}
                {imageError && (
                  <div className="field-error" role="alert">
                    {imageError}
                  </div>
                )}
              </fieldset>
            )}

            {type === 'character' && (
              <fieldset>
                <legend>Character</legend>
                <div className="row">
                  <TextInput
                    label="Race"
                    value={ch.race as string}
                    onChange={(v) => setSub('character', { race: v })}
                    error={err('character.race')}
                  />
                  <TextInput
                    label="Class"
                    value={ch.class as string}
                    onChange={(v) => setSub('character', { class: v })}
                    error={err('character.class')}
                  />
                  <NumberInput
                    label="Level"
                    value={ch.level}
                    onChange={(v) => setSub('character', { level: v })}
                    error={err('character.level')}
                  />
                  <TextInput label="Alignment" value={ch.alignment as string} onChange={(v) => setSub('character', { alignment: v })} />
                </div>
                <ListInput
                  label="Personality traits"
                  value={ch.personality_traits}
                  onChange={(v) => setSub('character', { personality_traits: v })}
                />
                <TextArea
                  label="Backstory"
                  value={ch.backstory_summary as string}
                  onChange={(v) => setSub('character', { backstory_summary: v })}
                />
                <ListInput label="Equipment" value={ch.equipment} onChange={(v) => setSub('character', { equipment: v })} />
                <ListInput label="Abilities" value={ch.special_abilities} onChange={(v) => setSub('character', { special_abilities: v })} />
              </fieldset>
            )}
            {type === 'location' && (
              <fieldset>
                <legend>Location</legend>
                <div className="row">
                  <TextInput label="Region" value={sub('location').region as string} onChange={(v) => setSub('location', { region: v })} />
                  <TextInput
                    label="Climate"
                    value={sub('location').climate as string}
                    onChange={(v) => setSub('location', { climate: v })}
                  />
                </div>
                <ListInput
                  label="Notable features"
                  value={sub('location').notable_features}
                  onChange={(v) => setSub('location', { notable_features: v })}
                />
                <TextArea
                  label="Inhabitants and history"
                  value={sub('location').history as string}
                  onChange={(v) => setSub('location', { history: v })}
                />
              </fieldset>
            )}
            {type === 'item' && (
              <fieldset>
                <legend>Item</legend>
                <div className="row">
                  <TextInput label="Item type" value={sub('item').item_type as string} onChange={(v) => setSub('item', { item_type: v })} />
                  <TextInput label="Rarity" value={sub('item').rarity as string} onChange={(v) => setSub('item', { rarity: v })} />
                </div>
                <ListInput label="Properties" value={sub('item').properties} onChange={(v) => setSub('item', { properties: v })} />
                <TextArea label="Lore" value={sub('item').lore as string} onChange={(v) => setSub('item', { lore: v })} />
              </fieldset>
            )}
            {type === 'quest_hook' && (
              <fieldset>
                <legend>Quest hook</legend>
                <TextArea label="Hook" value={sub('quest_hook').hook as string} onChange={(v) => setSub('quest_hook', { hook: v })} />
                <ListInput
                  label="Objectives"
                  value={sub('quest_hook').objectives}
                  onChange={(v) => setSub('quest_hook', { objectives: v })}
                />
                <ListInput label="Rewards" value={sub('quest_hook').rewards} onChange={(v) => setSub('quest_hook', { rewards: v })} />
                <TextInput
                  label="Level range"
                  value={sub('quest_hook').level_range as string}
                  onChange={(v) => setSub('quest_hook', { level_range: v })}
                />
              </fieldset>
            )}
            {type === 'room_template' && (
              <fieldset>
                <legend>Room template</legend>
                <JsonArea
                  key={`layout-${s.current?.rev}`}
                  label="Layout (JSON)"
                  value={sub('room_template').layout}
                  onChange={(v) => setSub('room_template', { layout: v })}
                  error={err('room_template.layout')}
                />
                <JsonArea
                  key={`modules-${s.current?.rev}`}
                  label="Modules (JSON list)"
                  value={sub('room_template').modules ?? []}
                  onChange={(v) => setSub('room_template', { modules: v })}
                  error={err('room_template.modules')}
                />
                <JsonArea
                  key={`custom-${s.current?.rev}`}
                  label="Customization (JSON)"
                  value={sub('room_template').customization}
                  onChange={(v) => setSub('room_template', { customization: v })}
                  error={err('room_template.customization')}
                />
              </fieldset>
            )}
            {type === 'custom_module' && (
              <fieldset>
                <legend>Custom module (CSS/HTML only)</legend>
                <TextArea
                  label="Code"
                  mono
                  rows={12}
                  value={sub('custom_module').code as string}
                  onChange={(v) => setSub('custom_module', { code: v, config: sub('custom_module').config ?? {} })}
                  error={err('custom_module.code') ?? err('custom_module')}
                  hint="HTML and CSS only. Scripts, event handlers and javascript: links are rejected."
                />
              </fieldset>
            )}
            {/* With a file attached, kind, format and size come from the file itself (shown above). */}
            {type === 'media' && !sub('media').sha256 && !s.imageSha && (
              <fieldset>
                <legend>Media details</legend>
                <div className="row">
                  <Select
                    label="Kind"
                    value={(sub('media').type as string) ?? 'image'}
                    options={MEDIA_KINDS.map((k) => [k, k] as const)}
                    onChange={(v) => setSub('media', { type: v })}
                  />
                  <TextInput
                    label="Format"
                    value={sub('media').format as string}
                    onChange={(v) => setSub('media', { format: v })}
                    error={err('media.format')}
                  />
                  <NumberInput
                    label="Size (bytes)"
                    value={sub('media').size}
                    onChange={(v) => setSub('media', { size: v ?? 0 })}
                    error={err('media.size')}
                  />
                </div>
              </fieldset>
            )}

            <details className="recipe">
              <summary>Generation recipe (optional)</summary>
              <fieldset>
                <div className="row">
                  <TextInput label="Model" value={gen.model as string} onChange={(v) => setSub('visual_generation', { model: v })} />
                  <NumberInput
                    label="Seed"
                    value={gen.seed}
                    onChange={(v) => setSub('visual_generation', { seed: v })}
                    error={err('visual_generation.seed')}
                  />
                  <NumberInput
                    label="Steps"
                    value={gen.steps}
                    onChange={(v) => setSub('visual_generation', { steps: v })}
                    error={err('visual_generation.steps')}
                  />
                  <NumberInput
                    label="Guidance"
                    step={0.1}
                    value={gen.guidance_scale}
                    onChange={(v) => setSub('visual_generation', { guidance_scale: v })}
                  />
                </div>
                <TextArea label="Prompt" value={gen.prompt as string} onChange={(v) => setSub('visual_generation', { prompt: v })} />
                <ListInput label="LoRAs" value={gen.style_loras} onChange={(v) => setSub('visual_generation', { style_loras: v })} />
              </fieldset>
            </details>
          </form>
        )}
      </section>
      <UniquenessPanel />
    </div>
  );
}

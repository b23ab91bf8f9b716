/** One form per asset type: the fields that type adds to the basics. */
import type { ComponentType } from 'react';
import type { AssetType } from '@shared/asset.ts';
import { CharacterForm } from './CharacterForm.tsx';
import { CustomModuleForm } from './CustomModuleForm.tsx';
import { ItemForm } from './ItemForm.tsx';
import { LocationForm } from './LocationForm.tsx';
import { MediaForm } from './MediaForm.tsx';
import { QuestHookForm } from './QuestHookForm.tsx';
import { RoomTemplateForm } from './RoomTemplateForm.tsx';

export const TYPE_FORMS: Record<AssetType, ComponentType> = {
  character: CharacterForm,
  location: LocationForm,
  item: ItemForm,
  quest_hook: QuestHookForm,
  room_template: RoomTemplateForm,
  custom_module: CustomModuleForm,
  media: MediaForm,
};

export { BasicsForm } from './BasicsForm.tsx';
export { ImageField } from './ImageField.tsx';
export { RecipeForm } from './RecipeForm.tsx';

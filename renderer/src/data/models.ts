/** The semantic layers' model files: status, download, import from a folder (data calls). */
import { api } from '../api.ts';

export const modelsStatus = () => api.call('models.status', {});
export const fetchModels = () => api.call('models.fetch', {});
export const importModels = (dir: string) => api.call('models.import', { dir });

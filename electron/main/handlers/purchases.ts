/** The handlers of what a buyer does with a purchase: save its files, list them, add it to the library, serve a saved file. */
import type { PurchaseHandlers } from '../../../shared/contracts/studio/purchases.ts';
import type { PurchaseFiles } from '../services/purchase-files.ts';

export function purchaseHandlers(files: PurchaseFiles): PurchaseHandlers {
  return {
    'market.download': (i) => files.download(i.purchaseId),
    'market.downloads': () => files.downloads(),
    'market.addToLibrary': (i) => files.addToLibrary(i.purchaseId),
    'market.purchaseFile': (i) => files.file(i),
  };
}

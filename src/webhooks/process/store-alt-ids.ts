// Second provider ids are stored by the messages module (`messages/provider-id-queries.ts`); the
// dispatcher's crash recovery still imports the function from here.
export { storeAltIds } from '../../messages/provider-id-queries.js';

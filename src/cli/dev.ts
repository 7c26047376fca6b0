// Entry for `npm run dev` (tsx watch): the same CLI, run from sources with reload on change.
import { main } from './main.js';

await main(process.argv);

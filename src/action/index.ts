// Entry point of the bundled Action (dist/action/index.js): everything happens in run().
import { run } from './main.js';

await run();

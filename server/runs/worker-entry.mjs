// The worker thread's entry: registers tsx's TypeScript loader in this thread, then loads the
// run's code. (A thread does not inherit the loader hooks of the thread that started it.)
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");

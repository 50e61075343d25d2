export declare const sparkDir: string;
export declare const runnerJar: string;
export declare const classpathFile: string;
export declare function sourceHash(): string;
export declare function isBuilt(): boolean;
export declare function buildRunner(options?: { quiet?: boolean }): number;

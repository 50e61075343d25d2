export declare const rootDir: string;
export declare const dataDir: string;
export interface DatabaseTarget {
  provider: "sqlite" | "postgresql";
  url: string;
  schemaPath: string;
  sqliteFile?: string;
}
export declare function databaseTarget(env?: Readonly<Record<string, string | undefined>>): DatabaseTarget;
export declare function renderSchema(target: DatabaseTarget): void;

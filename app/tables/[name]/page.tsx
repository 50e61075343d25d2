import Link from "next/link";
import { TableEditor } from "@/components/tables/TableEditor";
import { services } from "@/server/services";
import { loadTables } from "@/server/tables/store";

export const dynamic = "force-dynamic";

export default async function TablePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { [name]: rows } = await loadTables(services().db, [name]);
  return (
    <>
      <p className="meta">
        <Link href="/">← Pipelines</Link>
      </p>
      <h1>
        Table <code>{name}</code>
      </h1>
      <p className="lead">
        Lookup joins read this table when a run starts and keep it for the run, as the article caches its historic
        averages; saved changes take effect on the next run.
      </p>
      <TableEditor table={name} initialRows={rows as Record<string, string | number | boolean | null>[]} />
    </>
  );
}

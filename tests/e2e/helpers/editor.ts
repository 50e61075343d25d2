import type { Locator, Page } from "@playwright/test";

/** Drags a palette entry onto the canvas at (x, y) relative to the canvas. */
export async function place(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${kind}`).dragTo(page.getByTestId("canvas"), { targetPosition: { x, y } });
}

/** Draws a wire from one handle to another with the mouse, as a user does. */
export async function wire(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** A node's output handle, as the editor names it. */
export const out = (page: Page, node: string, port = "out"): Locator => page.getByTestId(`handle-${node}-out-${port}`);
/** A node's input handle, as the editor names it. */
export const inp = (page: Page, node: string, port = "in"): Locator => page.getByTestId(`handle-${node}-in-${port}`);

// Opens a call page (args.url), waits until it has tried to open Zoom
// Phone, then, when args.press is set, presses "Copy number". Reports what
// the page showed, what it tried to open, and what landed on the
// clipboard. (After the page has asked to open an app, headless Chromium
// holds back clicks on the page, as a browser does while its "Open Zoom?"
// prompt is up, so copying is tried where the page opens no app: Android.)
export default async function ({ page, context, args, helpers }) {
  const origin = new URL(args.url).origin;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const opened = []; // navigations the page started that are not http(s)
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && !/^https?:/.test(frame.url())) opened.push(frame.url());
  });
  page.on('request', (request) => {
    if (!/^https?:/.test(request.url())) opened.push(request.url());
  });
  await page.goto(args.url);
  await page.waitForTimeout(1000); // the page opens Zoom 300 ms after loading
  const seen = await helpers.snapshot();
  const copy = page.getByRole('button', { name: args.copy, exact: true });
  const copyVisible = await copy.isVisible();
  let clipboard = null;
  if (copyVisible && args.press) {
    await copy.click();
    await page.getByRole('status').waitFor({ state: 'visible' });
    clipboard = await page.evaluate(() => navigator.clipboard.readText());
  }
  const field = await page.getByLabel(args.numberLabel, { exact: true }).inputValue();
  return { seen, copyVisible, clipboard, field, opened, stillHere: page.url() };
}

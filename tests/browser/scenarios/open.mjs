// Opens args.url and reports the page as loaded.
export default async function ({ page, args, helpers }) {
  await page.goto(args.url);
  return { start: await helpers.snapshot() };
}

// Opens args.url, clicks the link named args.link and follows it wherever it
// leads (redirects across loopback ports included); reports both pages.
export default async function ({ page, args, helpers }) {
  await page.goto(args.url);
  const start = await helpers.snapshot();
  await helpers.follow(page.getByRole('link', { name: args.link, exact: true }));
  const end = await helpers.snapshot();
  const cookies = await page.context().cookies();
  return { start, end, cookies };
}

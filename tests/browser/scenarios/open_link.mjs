// Opens args.url as if from a link in Slack and follows every redirect it
// leads to (across loopback ports included); reports the page it ends on
// and the cookies left in the browser.
export default async function ({ page, args, helpers }) {
  await page.goto(args.url);
  const end = await helpers.snapshot();
  const cookies = await page.context().cookies();
  return { end, cookies };
}

// The landing page's install choices, clicked as a person would:
// args.steps is a list of {link} or {button} names to press in turn, each
// followed through all its redirects (Slack's and Zoom's approval pages
// included) and snapshotted; args.restart re-opens args.url before a step.
export default async function ({ page, args, helpers }) {
  const seen = [];
  await page.goto(args.url);
  seen.push(await helpers.snapshot());
  for (const step of args.steps) {
    if (step.restart) {
      await page.goto(args.url);
      seen.push(await helpers.snapshot());
    }
    const target = step.link
      ? page.getByRole('link', { name: step.link, exact: true })
      : page.getByRole('button', { name: step.button, exact: true });
    await helpers.follow(target);
    seen.push(await helpers.snapshot());
  }
  return { seen };
}

// Checks every page must pass, run inside the page (so it sees the DOM the
// browser built). Returns { lang, title, h1s, problems }.
//
// Serialised with .toString() into an init script: keep it self-contained.
export function auditDocument(allowedHosts) {
  const problems = [];
  const short = (value) => (value && value.length > 80 ? `${value.slice(0, 77)}...` : value);
  const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const lang = document.documentElement.getAttribute('lang') || '';
  if (!lang.trim()) problems.push('<html> has no lang');
  const title = document.title.trim();
  if (!title) problems.push('no <title>');
  const h1s = [...document.querySelectorAll('h1')].map(text);
  if (h1s.length !== 1) problems.push(`${h1s.length} <h1> elements, want exactly one`);

  for (const img of document.querySelectorAll('img:not([alt])')) {
    problems.push(`<img src="${short(img.getAttribute('src'))}"> has no alt`);
  }
  const controls = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea';
  for (const el of document.querySelectorAll(controls)) {
    const labelled = (el.labels && el.labels.length > 0)
      || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
    if (!labelled) problems.push(`<${el.localName} name="${el.getAttribute('name')}"> has no label`);
  }
  for (const el of document.querySelectorAll('a[href], button, input[type=submit], input[type=button]')) {
    const name = text(el) || el.getAttribute('aria-label') || el.getAttribute('value') || el.getAttribute('title');
    if (!name) problems.push(`<${el.localName}> has no accessible name`);
  }

  // Nothing may load from another site: no CDN scripts, styles, fonts or images.
  const external = (value) => {
    try {
      const url = new URL(value, document.baseURI);
      return /^https?:$/.test(url.protocol) && !allowedHosts.includes(url.hostname);
    } catch {
      return false;
    }
  };
  for (const el of document.querySelectorAll('[src], link[href]')) {
    const value = el.getAttribute('src') ?? el.getAttribute('href');
    if (external(value)) problems.push(`<${el.localName}> loads ${short(value)} from another site`);
  }
  for (const style of document.querySelectorAll('style')) {
    for (const m of style.textContent.matchAll(/(?:url\(|@import)\s*['"]?(https?:[^'")\s;]+)/g)) {
      if (external(m[1])) problems.push(`<style> loads ${m[1]} from another site`);
    }
  }
  return { lang, title, h1s, problems };
}

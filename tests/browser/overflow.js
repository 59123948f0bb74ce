// The elements that stick out of the viewport's width and that no scroll box of theirs
// contains: what makes a page scroll sideways (tests/browser/test_every_page.py).
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => /(auto|scroll|hidden|clip)/.test(getComputedStyle(e).overflowX);
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const box = e.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0) continue;
    // An absolutely positioned element escapes the scroll boxes between it and the
    // element it is positioned against: only an in-flow one is contained by its scroll box.
    let p = e.parentElement;
    while (p && p !== document.body && !scrolls(p)) p = p.parentElement;
    if (p && p !== document.body && getComputedStyle(e).position !== "absolute") continue;
    const name = `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${[...e.classList].join(".")}`;
    out.push(`${name} (${Math.round(box.right)} px)`);
    if (out.length >= 4) break;
  }
  return out;
}

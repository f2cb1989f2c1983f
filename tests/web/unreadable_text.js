// What text the page shows cut off, for page.evaluate (tests/web/conftest.py, assert_readable).
() => {
  // Every piece of text shown must be whole: not cut by an ancestor that hides its overflow
  // (text-overflow: ellipsis included) nor pushed sideways out of a scrolling box. A list
  // that scrolls vertically may hold text out of view (it is read by scrolling), but what it
  // shows must itself be whole in the page (body hides its overflow).
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const describe = (e) => {
    const cls = typeof e.className === "string" ? e.className.trim() : "";
    return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (cls ? "." + cls.split(/\s+/).join(".") : "");
  };
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    const text = (n.textContent ?? "").trim();
    const el = n.parentElement;
    if (text === "" || el === null || getComputedStyle(el).visibility === "hidden") continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    let rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ l: r.left, t: r.top, r: r.right, b: r.bottom }));
    for (let a = el; a !== null && rects.length > 0 && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const clipX = cs.overflowX !== "visible";
      const clipY = cs.overflowY !== "visible";
      if (!clipX && !clipY) continue;
      const box = a.getBoundingClientRect();
      const l = box.left + a.clientLeft;
      const t = box.top + a.clientTop;
      const r = l + a.clientWidth;
      const b = t + a.clientHeight;
      const scrollsY = cs.overflowY === "auto" || cs.overflowY === "scroll";
      const cutX = clipX && rects.some((q) => q.l < l - 0.5 || q.r > r + 0.5);
      const cutY = clipY && !scrollsY && rects.some((q) => q.t < t - 0.5 || q.b > b + 0.5);
      if (cutX || cutY) {
        problems.push(`"${text.slice(0, 60)}" in ${describe(el)} is cut ${cutX ? "across" : "off"} by ${describe(a)}`);
        break;
      }
      if (scrollsY) {
        rects = rects.map((q) => ({ ...q, t: Math.max(q.t, t), b: Math.min(q.b, b) }))
          .filter((q) => q.b - q.t > 0.5);
      }
    }
  }
  return problems;
}

// The structural rules of RGAA that a program can check on a page, each named by its
// criterion (tests/browser/test_every_page.py evaluates this function on every page).
() => {
  const found = [];
  const all = (s) => Array.from(document.querySelectorAll(s));
  const text = (e) => (e.textContent || "").replace(/\s+/g, " ").trim();
  if (!document.doctype || document.doctype.name !== "html") found.push("8.1 pas de doctype HTML");
  if (document.documentElement.lang !== "fr") found.push("8.3 langue de la page absente ou autre que fr");
  all("[lang]").forEach((e) => {
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(e.lang)) found.push(`8.8 code de langue « ${e.lang} »`);
  });
  if (!document.title.trim()) found.push("8.5 page sans titre");
  // The audit grid says « non applicable » for frames: one appearing must be audited.
  all("iframe, frame").forEach((e) => found.push(`2.1 cadre « ${e.title || e.src} » à auditer`));
  const media = all("video, audio, object, embed, canvas, marquee, blink");
  if (media.length) found.push(`4.x / 13.8 média ou contenu animé : ${media.map((e) => e.tagName).join(", ")}`);
  if (all("meta[http-equiv='refresh' i]").length) found.push("13.1 redirection ou rafraîchissement automatique");
  const viewport = document.querySelector("meta[name=viewport]");
  if (viewport && /user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*1(\.0)?\b/.test(viewport.content)) {
    found.push("10.4 le zoom est bloqué");
  }
  const mains = all("main, [role=main]");
  if (mains.length !== 1) found.push(`12.6 ${mains.length} zones de contenu principal`);
  // A header or footer outside sectioning content is the page's banner or contentinfo.
  const top = (e) => !e.closest("article, aside, main, nav, section");
  const banner = all("[role=banner]").length + all("header").filter(top).length;
  if (!banner) found.push("12.6 pas de zone d'en-tête");
  const info = all("[role=contentinfo]").length + all("footer").filter(top).length;
  if (!info) found.push("12.6 pas de zone de pied de page");
  // The site's skip links (DSFR), or the Django admin's own.
  const skip = document.querySelector(".fr-skiplinks a[href^='#'], a.skip-to-content-link[href^='#']");
  if (!skip) found.push("12.7 pas de lien d'évitement");
  else if (!document.getElementById(skip.getAttribute("href").slice(1))) {
    found.push("12.7 le lien d'évitement mène à un id absent");
  }
  all("[tabindex]").forEach((e) => {
    if (parseInt(e.getAttribute("tabindex"), 10) > 0) found.push(`12.8 tabindex positif sur ${e.tagName}`);
  });
  all("[accesskey]").forEach((e) => found.push(`12.10 raccourci clavier « ${e.getAttribute("accesskey")} »`));
  all("a[target=_blank]").forEach((a) => {
    const said = `${a.title} ${text(a)} ${a.getAttribute("aria-label") || ""}`;
    if (!/nouvel(le)? (fenêtre|onglet)/i.test(said)) found.push(`13.2 lien ouvrant une nouvelle fenêtre sans le dire : ${a.href}`);
  });
  all("input[type=email], input[type=password]").forEach((e) => {
    if (!e.getAttribute("autocomplete")) found.push(`11.13 champ ${e.name} sans autocomplete`);
  });
  all("a[href]").forEach((a) => {
    const name = text(a) || a.getAttribute("aria-label") || a.title || Array.from(a.querySelectorAll("img[alt]")).map((i) => i.alt).join("");
    if (!name.trim()) found.push(`6.2 lien sans intitulé : ${a.getAttribute("href")}`);
  });
  all("table").forEach((t) => {
    if (t.getAttribute("role") === "presentation") {
      found.push("5.3 tableau de mise en forme : la grille le déclare non applicable");
      return;
    }
    const caption = t.querySelector(":scope > caption");
    if (!caption || !text(caption)) found.push(`5.4 tableau sans titre (caption) : ${text(t).slice(0, 40)}`);
    if (!t.querySelector("th")) found.push(`5.6 tableau sans en-tête : ${text(t).slice(0, 40)}`);
  });
  const presentational = "[align], [bgcolor], [border]:not(table), [valign], font, center, [background]";
  all(presentational).forEach((e) => found.push(`10.1 attribut ou balise de présentation sur ${e.tagName}`));
  const admin = location.pathname.startsWith("/admin/");
  if (!admin && !document.querySelector("footer a[href='/plan-du-site/']")) {
    found.push("12.4 pas de lien « Plan du site » en pied de page");
  }
  const ids = {};
  all("[id]").forEach((e) => { ids[e.id] = (ids[e.id] || 0) + 1; });
  Object.keys(ids).filter((id) => ids[id] > 1).forEach((id) => found.push(`8.2 id « ${id} » en double`));
  const h1 = all("h1");
  if (h1.length !== 1) found.push(`9.1 ${h1.length} titres de niveau 1`);
  let previous = 0;
  all("h1, h2, h3, h4, h5, h6").forEach((h) => {
    const level = parseInt(h.tagName[1], 10);
    if (previous && level > previous + 1) found.push(`9.1 saut de niveau de titre h${previous} → h${level} (« ${text(h).slice(0, 40)} »)`);
    previous = level;
  });
  return found;
}

// A real OpenID provider for the tests (panva's certified oidc-provider), configured like
// FranceConnect v2 or like ProConnect, on a loopback port.
//
//   node provider.mjs <franceconnect|proconnect> <client_id> <client_secret> <port>
//
// It prints "READY <issuer>" once it listens on 127.0.0.1:<port>. Its login page is
// its own (any e-mail, any password). For the negative tests, POST /__control {"fault": …}
// makes the token or userinfo answer lie in one precise way (re-signed by this process,
// which holds the keys); {"fault": null} returns to the truth.
import crypto from 'node:crypto';
import http from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const [mode, clientId, clientSecret, port] = process.argv.slice(2);
if (!['franceconnect', 'proconnect'].includes(mode) || !clientId || !clientSecret || !port) {
  console.error('usage: node provider.mjs <franceconnect|proconnect> <client_id> <client_secret> <port>');
  process.exit(2);
}
const FC = mode === 'franceconnect';
const ALG = FC ? 'ES256' : 'RS256';
const PREFIX = '/api/v2';

async function signingKey(kid) {
  const { privateKey } = await jose.generateKeyPair(ALG, { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid, alg: ALG, use: 'sig' };
}
// Two published keys: the first signs; the second is there for the key-rotation test.
const keys = [await signingKey('cle-1'), await signingKey('cle-2')];
// Same kid as the first, never published: "a token signed with another key".
const foreignKey = await signingKey('cle-1');

// What the person typed on the login page, by login (the account id).
const accounts = new Map();

function claimsOf(accountId) {
  const who = accounts.get(accountId) || { email: accountId, given_name: 'Camille', family_name: 'Martin' };
  if (FC) {
    return {
      given_name: who.given_name,
      family_name: who.family_name,
      preferred_username: '',
      birthdate: '1980-06-24',
      gender: 'female',
      birthplace: '75107',
      birthcountry: '99100',
      email: who.email,
    };
  }
  return {
    given_name: who.given_name,
    usual_name: who.family_name,
    email: who.email,
    uid: `agent-${crypto.createHash('sha256').update(who.email).digest('hex').slice(0, 8)}`,
    siret: '13002526500013',
    idp_id: 'fia1v2',
    organizational_unit: 'DITP',
  };
}

const scopes = FC
  ? {
      openid: ['sub'],
      given_name: ['given_name'],
      family_name: ['family_name'],
      birthdate: ['birthdate'],
      gender: ['gender'],
      birthplace: ['birthplace'],
      birthcountry: ['birthcountry'],
      email: ['email'],
      preferred_username: ['preferred_username'],
    }
  : {
      openid: ['sub'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      email: ['email'],
      uid: ['uid'],
      siret: ['siret'],
      idp_id: ['idp_id'],
      organizational_unit: ['organizational_unit'],
      amr: null,
    };

// ProConnect refuses any authorize parameter it does not know (error Y000400).
const PROCONNECT_PARAMS = new Set([
  'response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'acr_values',
  'claims', 'prompt', 'login_hint', 'idp_hint', 'siret_hint', 'domain_hint',
]);

const config = {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      // Any loopback or test-client host is accepted below (the live server's port varies).
      redirect_uris: ['http://127.0.0.1/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1/'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: ALG,
      userinfo_signed_response_alg: ALG,
      subject_type: FC ? 'pairwise' : 'public',
    },
  ],
  jwks: { keys },
  claims: scopes,
  scopes: Object.keys(scopes).filter((name) => scopes[name]),
  acrValues: FC ? ['eidas1', 'eidas2', 'eidas3'] : ['eidas1'],
  subjectTypes: FC ? ['pairwise'] : ['public'],
  async pairwiseIdentifier(ctx, accountId, client) {
    return crypto.createHash('sha256').update(`${client.sectorIdentifier}|${accountId}|sel-de-test`).digest('hex');
  },
  enabledJWA: { idTokenSigningAlgValues: [ALG], userinfoSigningAlgValues: [ALG] },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    // RP-initiated logout (/session/end with id_token_hint, state, post_logout_redirect_uri).
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion</title></head>
<body><main><h1>${FC ? 'FranceConnect' : 'ProConnect'} — se déconnecter ?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Oui, me déconnecter</button></main></body></html>`;
      },
    },
  },
  // ProConnect's lifetimes: code 30 s, access token 60 s.
  ttl: { AuthorizationCode: 30, AccessToken: 60, IdToken: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  pkce: { required: () => false },
  cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
  // The real providers' paths (issuer …/api/v2, discovery below it).
  routes: {
    authorization: `${PREFIX}/authorize`,
    token: `${PREFIX}/token`,
    userinfo: `${PREFIX}/userinfo`,
    jwks: `${PREFIX}/jwks`,
    end_session: `${PREFIX}/session/end`,
  },
  interactions: { url: (ctx, interaction) => `${PREFIX}/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, ...claimsOf(id) }) };
  },
  // A first-party test client: consent is given with the login, for what was asked.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
    grant.addOIDCClaims(['amr', 'acr']);
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="fr"><title>Erreur</title><h1>Erreur</h1><p id="error">${escape(out.error)}</p><p>${escape(out.error_description || '')}</p></html>`;
  },
};

const provider = new Provider(`http://127.0.0.1:${port}${PREFIX}`, config);
provider.proxy = false;
const allowed = (value) => /^http:\/\/(127\.0\.0\.1|localhost|testserver)(:\d+)?\//.test(value);
provider.Client.prototype.redirectUriAllowed = allowed;
provider.Client.prototype.postLogoutRedirectUriAllowed = allowed;

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// --- Faults for the negative tests ---------------------------------------------------------
let fault = null;

function payloadOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

async function resign(payload, { key = keys[0], alg = ALG, secret } = {}) {
  if (alg === 'none') {
    const enc = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
    return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
  }
  const signer = new jose.SignJWT(payload).setProtectedHeader({ alg, kid: alg === 'HS256' ? undefined : key.kid, typ: 'JWT' });
  return signer.sign(secret ? new TextEncoder().encode(secret) : await jose.importJWK(key, alg));
}

async function forgeIdToken(idToken) {
  const p = payloadOf(idToken);
  const now = Math.floor(Date.now() / 1000);
  switch (fault) {
    case 'id_token_expired': return resign({ ...p, iat: now - 3600, exp: now - 1800 });
    case 'id_token_future_iat': return resign({ ...p, iat: now + 3600, exp: now + 7200 });
    case 'id_token_other_key': return resign(p, { key: foreignKey });
    case 'id_token_alg_none': return resign(p, { alg: 'none' });
    case 'id_token_hs256': return resign(p, { alg: 'HS256', secret: clientSecret });
    case 'id_token_wrong_aud': return resign({ ...p, aud: 'un-autre-service' });
    case 'id_token_wrong_iss': return resign({ ...p, iss: 'http://127.0.0.1:1/api/v2' });
    case 'id_token_wrong_nonce': return resign({ ...p, nonce: 'ce-nonce-n-est-pas-le-votre-0123456789' });
    case 'id_token_rotated': return resign(p, { key: keys[1] });
    case 'id_token_acr_missing': { const { acr, ...rest } = p; return resign(rest); }
    default: return idToken;
  }
}

async function forgeUserinfo(jwt) {
  const p = payloadOf(jwt);
  switch (fault) {
    case 'userinfo_other_sub': return resign({ ...p, sub: 'quelqu-un-d-autre' });
    case 'userinfo_other_key': return resign(p, { key: foreignKey });
    case 'userinfo_alg_none': return resign(p, { alg: 'none' });
    default: return jwt;
  }
}

provider.use(async (ctx, next) => {
  if (ctx.path === `${PREFIX}/authorize` && ctx.method === 'GET') {
    const unknown = Object.keys(ctx.query).filter((k) => !PROCONNECT_PARAMS.has(k));
    if (!FC && unknown.length) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="fr"><title>Erreur Y000400</title><h1>Erreur</h1><p id="error">Y000400</p><p>Paramètres inconnus : ${escape(unknown.join(', '))}</p></html>`;
      return;
    }
    for (const required of FC ? ['state', 'nonce', 'acr_values'] : ['state', 'nonce']) {
      if (!ctx.query[required] || (required !== 'acr_values' && ctx.query[required].length < 32)) {
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="fr"><title>Erreur</title><h1>Erreur</h1><p id="error">${required} manquant ou trop court</p></html>`;
        return;
      }
    }
  }
  await next();
  if (!fault) return;
  if (ctx.path === `${PREFIX}/token` && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await forgeIdToken(ctx.body.id_token) };
  }
  if (ctx.path === `${PREFIX}/userinfo` && ctx.status === 200 && typeof ctx.body === 'string') {
    ctx.body = await forgeUserinfo(ctx.body);
    ctx.type = 'application/jwt';
  }
});

// --- The provider's own login page -----------------------------------------------------------
function loginPage(uid, details) {
  const amrChoice = FC
    ? ''
    : `<p><label for="amr">Méthode d'authentification</label>
       <select id="amr" name="amr"><option value="pwd">Mot de passe</option><option value="mail">Lien par e-mail</option><option value="mfa">Mot de passe et second facteur</option><option value="totp">Mot de passe et code à usage unique</option><option value="pop">Mot de passe et clé physique</option></select></p>`;
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${FC ? 'FranceConnect (test)' : 'ProConnect (test)'}</title></head>
<body><main><h1>${FC ? 'FranceConnect' : 'ProConnect'} — fournisseur de test</h1>
<p>Demandé par : ${escape(details.params.client_id)}</p>
<form method="post" action="${PREFIX}/interaction/${uid}/login">
<p><label for="login">Adresse e-mail</label><input id="login" name="login" type="email" required></p>
<p><label for="password">Mot de passe</label><input id="password" name="password" type="password" required></p>
<p><label for="given_name">Prénom</label><input id="given_name" name="given_name" value="Camille"></p>
<p><label for="family_name">Nom</label><input id="family_name" name="family_name" value="Martin"></p>
${amrChoice}
<button type="submit">Se connecter</button></form></main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (!action) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid, details));
    return;
  }
  const form = await readForm(req);
  const email = (form.login || '').trim().toLowerCase();
  accounts.set(email, { email, given_name: form.given_name || 'Camille', family_name: form.family_name || 'Martin' });
  // ProConnect's amr values: pwd or mail (one factor), with totp, pop or mfa (a second one).
  const second = ['totp', 'pop', 'mfa'].includes(form.amr) ? [form.amr] : [];
  const amr = FC ? ['pwd'] : form.amr === 'mail' ? ['mail'] : ['pwd', ...second];
  await provider.interactionFinished(req, res, { login: { accountId: email, acr: 'eidas1', amr } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/__control' && req.method === 'POST') {
      const body = await readForm(req);
      fault = body.fault || null;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ fault }));
      return;
    }
    if (!url.pathname.startsWith(PREFIX)) {
      res.writeHead(404).end();
      return;
    }
    const m = url.pathname.slice(PREFIX.length).match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (m) {
      await interaction(req, res, m[1], m[2] && req.method === 'POST');
      return;
    }
    if (url.pathname === `${PREFIX}/.well-known/openid-configuration`) req.url = '/.well-known/openid-configuration';
    callback(req, res);
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(String(err));
  }
});

server.listen(Number(port), '127.0.0.1', () => console.log(`READY ${provider.issuer}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));

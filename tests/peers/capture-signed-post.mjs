#!/usr/bin/env node
// Captures real signed inbox POSTs made by Fedify 2.3.6, as test vectors for
// mutual's HTTP signature verifier.
//
//   node capture-signed-post.mjs [--port 38421] [--out ../fixtures/fedify]
//   node capture-signed-post.mjs --verify [--out ../fixtures/fedify]
//
// A throwaway recorder listens on 127.0.0.1:PORT and answers 202 to every
// request. A Fedify federation (origin http://localhost:38420, never served)
// sends one Follow to http://localhost:PORT/users/alice/inbox with
// firstKnock "rfc9421" and another with "draft-cavage-http-signatures-12".
// Since the recorder answers 202, Fedify never falls back to the other spec.
// Each request is written as JSON:
//   {"method","url","headers":{lower-case name: value},"body","public_key_pem",
//    "key_id","spec","captured_at"}
// to rfc9421-post.json and cavage-post.json, and is then re-verified with
// Fedify's own verifyRequest. --verify only re-verifies existing files
// (ignoring their age), without network.

import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createFederation, MemoryKvStore, verifyRequest } from "@fedify/fedify";
import { CryptographicKey, Follow } from "@fedify/vocab";

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "38421" },
    out: { type: "string", default: join(here, "..", "fixtures", "fedify") },
    verify: { type: "boolean", default: false },
  },
  strict: true,
});
const port = Number(args.port);
const outDir = resolve(args.out);
const SIGNER_ORIGIN = "http://localhost:38420";
const FILES = { rfc9421: "rfc9421-post.json", "draft-cavage-http-signatures-12": "cavage-post.json" };

function generateRsaKeyPair() {
  return crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
}

async function toSpkiPem(publicKey) {
  const der = Buffer.from(await crypto.subtle.exportKey("spki", publicKey));
  const lines = der.toString("base64").match(/.{1,64}/g).join("\n");
  return `-----BEGIN PUBLIC KEY-----\n${lines}\n-----END PUBLIC KEY-----\n`;
}

/** Starts the recorder; resolves each waiter with the next request it gets. */
async function startRecorder() {
  const waiters = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i].toLowerCase();
      headers[name] = name in headers ? `${headers[name]}, ${req.rawHeaders[i + 1]}` : req.rawHeaders[i + 1];
    }
    res.writeHead(202, { "content-type": "text/plain" });
    res.end("recorded");
    waiters.shift()?.({
      method: req.method,
      url: `http://${req.headers.host}${req.url}`,
      headers,
      body: Buffer.concat(chunks).toString("utf8"),
    });
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", ok));
  return { server, next: () => new Promise((ok) => waiters.push(ok)) };
}

async function capture(spec, keyPair, recorder) {
  const federation = createFederation({
    kv: new MemoryKvStore(),
    allowPrivateAddress: true,
    origin: SIGNER_ORIGIN,
    firstKnock: spec,
  });
  federation
    .setActorDispatcher("/users/{identifier}", () => null)
    .setKeyPairsDispatcher((_ctx, identifier) => (identifier === "tester" ? [keyPair] : []));
  federation.setObjectDispatcher(Follow, "/follows/{uuid}", () => null);
  const ctx = federation.createContext(new URL(SIGNER_ORIGIN), undefined);
  const target = new URL(`http://localhost:${port}/users/alice`);
  const follow = new Follow({
    id: ctx.getObjectUri(Follow, { uuid: spec === "rfc9421" ? "rfc9421-fixture" : "cavage-fixture" }),
    actor: ctx.getActorUri("tester"),
    object: target,
    to: target,
  });
  const recorded = recorder.next();
  await ctx.sendActivity({ identifier: "tester" }, { id: target, inboxId: new URL(`${target.href}/inbox`) }, follow);
  return {
    ...(await recorded),
    public_key_pem: await toSpkiPem(keyPair.publicKey),
    key_id: `${ctx.getActorUri("tester").href}#main-key`,
    spec,
    captured_at: new Date().toISOString(),
  };
}

/** Verifies a fixture with Fedify's verifyRequest and the fixture's own key. */
async function verifyFixture(fixture) {
  const publicKey = await crypto.subtle.importKey(
    "spki",
    Buffer.from(fixture.public_key_pem.replace(/-----[^-]+-----|\s/g, ""), "base64"),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    true,
    ["verify"],
  );
  const key = new CryptographicKey({
    id: new URL(fixture.key_id),
    owner: new URL(fixture.key_id.replace(/#.*$/, "")),
    publicKey,
  });
  const keyCache = {
    get: async (keyId) => (keyId.href === fixture.key_id ? key : null),
    set: async () => {},
  };
  const request = new Request(fixture.url, {
    method: fixture.method,
    headers: fixture.headers,
    body: fixture.body,
  });
  const documentLoader = async (url) => {
    throw new Error(`unexpected fetch of ${url}`);
  };
  const verified = await verifyRequest(request, { keyCache, documentLoader, contextLoader: documentLoader, timeWindow: false });
  return verified != null && verified.id?.href === fixture.key_id;
}

async function main() {
  let ok = true;
  if (!args.verify) {
    mkdirSync(outDir, { recursive: true });
    const keyPair = await generateRsaKeyPair();
    const recorder = await startRecorder();
    try {
      for (const [spec, file] of Object.entries(FILES)) {
        const fixture = await capture(spec, keyPair, recorder);
        writeFileSync(join(outDir, file), JSON.stringify(fixture, null, 2) + "\n");
        console.error(`wrote ${join(outDir, file)}`);
      }
    } finally {
      recorder.server.close();
    }
  }
  for (const file of Object.values(FILES)) {
    const fixture = JSON.parse(readFileSync(join(outDir, file), "utf8"));
    const verified = await verifyFixture(fixture);
    console.error(`${file}: ${verified ? "verified by Fedify" : "NOT VERIFIED"}`);
    ok &&= verified;
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

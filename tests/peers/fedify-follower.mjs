#!/usr/bin/env node
// A real third-party ActivityPub peer for mutual's integration tests: a
// Fedify 2.3.6 actor that stands in for a Mastodon user who follows a co-op.
//
//   node fedify-follower.mjs --port P --target ACTOR_URL \
//        --knock draft-cavage|rfc9421 [--timeout-secs 120] [--ed25519] \
//        [--accept-follows] [--profile JSON]
//
// It serves http://localhost:P/users/tester (bound to 127.0.0.1 only), looks
// the target up by URL, sends it a Follow, then reports what arrives in its
// inbox. Fedify verifies the signature of every incoming activity before a
// listener runs, so each accept/reject/create/update/delete event means the
// request was signed correctly. Events are one JSON object per line on stdout;
// logs go to stderr (FEDIFY_LOG=debug for Fedify's own debug logs).
//
// Opt-in, so that it can also stand in for a co-op that lives on another kind
// of server (and joins mutual's directory):
//   --accept-follows  answers each Follow it receives with an Accept that
//                     embeds the Follow, and keeps the follower;
//   --profile JSON    sets fields of its actor: {"name", "summary",
//                     "discoverable", "indexable", "attachments": [{"name",
//                     "value"}]} (attachments become PropertyValues);
//   commands on stdin, one JSON object per line:
//     {"command":"create-note","content":HTML,"name":TITLE?,"inReplyTo":URL?,
//      "mention":ACTOR_URL?} sends a public Create(Note) to the followers it has
//     accepted; with inReplyTo it is a reply, and a mentioned actor is tagged,
//     addressed (cc) and sent the Create too, as Mastodon does for replies.
//
// It exits on SIGTERM/SIGINT, when stdin (a pipe or terminal) reaches its
// end, or after --timeout-secs.

import { createServer } from "node:http";
import { fstatSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Create,
  Delete,
  Endpoints,
  Follow,
  getTypeId,
  isActor,
  Link,
  Mention,
  Note,
  Person,
  PropertyValue,
  Reject,
  Update,
} from "@fedify/vocab";

const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");

const KNOCKS = {
  "draft-cavage": "draft-cavage-http-signatures-12",
  rfc9421: "rfc9421",
};

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node fedify-follower.mjs --port P --target ACTOR_URL ` +
      `--knock draft-cavage|rfc9421 [--timeout-secs 120] [--ed25519] ` +
      `[--accept-follows] [--profile JSON]\n`,
  );
  process.exit(2);
}

function parseCli() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        target: { type: "string" },
        knock: { type: "string", default: "draft-cavage" },
        "timeout-secs": { type: "string", default: "120" },
        ed25519: { type: "boolean", default: false },
        "accept-follows": { type: "boolean", default: false },
        profile: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    usage(error.message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) usage("--port is required");
  if (!values.target) usage("--target is required");
  if (!(values.knock in KNOCKS)) usage(`unknown --knock ${values.knock}`);
  const timeoutSecs = Number(values["timeout-secs"]);
  if (!(timeoutSecs > 0)) usage("--timeout-secs must be positive");
  let profile = {};
  if (values.profile != null) {
    try {
      profile = JSON.parse(values.profile);
    } catch (error) {
      usage(`--profile is not JSON: ${error.message}`);
    }
    if (profile == null || typeof profile !== "object" || Array.isArray(profile)) {
      usage("--profile must be a JSON object");
    }
    const known = ["name", "summary", "discoverable", "indexable", "attachments"];
    const unknown = Object.keys(profile).filter((key) => !known.includes(key));
    if (unknown.length > 0) usage(`--profile: unknown field(s) ${unknown.join(", ")}`);
    if (profile.attachments != null && !Array.isArray(profile.attachments)) {
      usage("--profile: attachments must be an array of {name, value}");
    }
  }
  return {
    port,
    target: values.target,
    firstKnock: KNOCKS[values.knock],
    timeoutSecs,
    ed25519: values.ed25519,
    acceptFollows: values["accept-follows"],
    profile,
  };
}

/** Prints one event as a JSON line on stdout (synchronous for pipes and files). */
function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

function log(message) {
  process.stderr.write(`[fedify-follower] ${message}\n`);
}

/** Sends Fedify's own logs (LogTape) to stderr, never stdout. */
async function configureLogging() {
  const level = process.env.FEDIFY_LOG ?? "warning";
  try {
    const { configure, getTextFormatter } = await import("@logtape/logtape");
    const { AsyncLocalStorage } = await import("node:async_hooks");
    const format = getTextFormatter();
    await configure({
      contextLocalStorage: new AsyncLocalStorage(),
      sinks: { stderr: (record) => process.stderr.write(format(record)) },
      filters: {
        // Printed for every send when there is no Ed25519 key (the default).
        noProofWarning: (record) =>
          !String(record.rawMessage).startsWith("No supported key found to create a proof"),
      },
      loggers: [
        { category: "fedify", lowestLevel: level, sinks: ["stderr"], filters: ["noProofWarning"] },
        { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
      ],
    });
  } catch (error) {
    log(`logging not configured: ${error}`);
  }
}

const typeName = (object) => {
  const id = getTypeId(object)?.href ?? "";
  return id.slice(Math.max(id.lastIndexOf("#"), id.lastIndexOf("/")) + 1) || null;
};
const text = (value) => (value == null ? null : value.toString());
const href = (value) =>
  value == null ? null : value instanceof URL ? value.href : value.href?.href ?? value.id?.href ?? null;

/** The object of a Create/Update as Fedify understood it after JSON-LD processing. */
async function describeObject(object, ctx) {
  if (object == null) return null;
  const tags = [];
  try {
    for await (const tag of object.getTags({
      documentLoader: ctx.documentLoader,
      contextLoader: ctx.contextLoader,
      suppressError: true,
    })) {
      tags.push({
        type: typeName(tag),
        name: text(tag.name),
        href: tag instanceof Link ? href(tag.href) : tag.id?.href ?? null,
      });
    }
  } catch (error) {
    log(`could not read tags: ${error}`);
  }
  const loaders = {
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  };
  const image = (i) => ({
    type: typeName(i),
    mediaType: i.mediaType ?? null,
    url: href(i.url),
    name: text(i.name),
  });
  const attachments = [];
  try {
    for await (const a of object.getAttachments(loaders)) attachments.push(image(a));
  } catch (error) {
    log(`could not read attachments: ${error}`);
  }
  let icon = null;
  try {
    const i = typeof object.getIcon === "function" ? await object.getIcon(loaders) : null;
    if (i != null) icon = image(i);
  } catch (error) {
    log(`could not read the icon: ${error}`);
  }
  return {
    id: object.id?.href ?? null,
    type: typeName(object),
    name: text(object.name),
    content: text(object.content),
    attributedTo: object.attributionId?.href ?? null,
    to: object.toIds.map((u) => u.href),
    cc: object.ccIds.map((u) => u.href),
    url: href(object.url),
    tags,
    attachments,
    icon,
  };
}

/**
 * Looks the target up by URL with a signed GET, as Mastodon does (authorized
 * fetch). lookupObject() hides fetch errors, so the loader records the last
 * one; a refused connection is retried for a few seconds in case the target
 * server is still starting.
 */
async function lookupTarget(ctx, target) {
  const signedLoader = await ctx.getDocumentLoader({ identifier: "tester" });
  let lastError = null;
  const documentLoader = async (url, options) => {
    try {
      return await signedLoader(url, options);
    } catch (error) {
      lastError = error;
      throw error;
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    lastError = null;
    const found = await ctx.lookupObject(target, { documentLoader });
    if (found != null) return found;
    const refused = /fetch failed|ECONNREFUSED/i.test(
      `${lastError?.message} ${lastError?.cause?.message ?? ""} ${lastError?.cause?.code ?? ""}`,
    );
    if (!refused || Date.now() > deadline) {
      throw new Error(`lookup of ${target} failed: ${lastError?.message ?? "not an ActivityPub object"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An RSASSA-PKCS1-v1_5 2048-bit SHA-256 key pair, as Mastodon uses. */
function generateRsaKeyPair() {
  return crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
}

/** Adapts Fedify's fetch-style handler to node:http. */
function serve(federation, port) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, `http://${req.headers.host ?? `localhost:${port}`}`);
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      });
      const response = await federation.fetch(request, { contextData: undefined });
      log(`${req.method} ${url.pathname} -> ${response.status}`);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      log(`handler error: ${error?.stack ?? error}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("internal error");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function main() {
  const opts = parseCli();
  await configureLogging();
  const origin = `http://localhost:${opts.port}`;
  // 2048-bit like Mastodon (Fedify's generateCryptoKeyPair makes 4096-bit RSA).
  const keyPairs = [await generateRsaKeyPair()];
  if (opts.ed25519) keyPairs.push(await generateCryptoKeyPair("Ed25519"));
  const follows = new Map(); // uuid -> Follow we sent
  const followers = new Map(); // actor id -> follower (an Actor) whose Follow we accepted
  const notes = new Map(); // uuid -> Note we published

  const federation = createFederation({
    kv: new MemoryKvStore(),
    allowPrivateAddress: true,
    origin,
    firstKnock: opts.firstKnock,
  });

  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier !== "tester") return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      const profile = opts.profile;
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: profile.name ?? "Fedify tester",
        summary: profile.summary ?? "A Fedify peer standing in for a Mastodon user in mutual's tests.",
        discoverable: profile.discoverable ?? null,
        indexable: profile.indexable ?? null,
        attachments: (profile.attachments ?? []).map(
          (a) => new PropertyValue({ name: String(a.name), value: String(a.value) }),
        ),
        url: ctx.getActorUri(identifier),
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        following: ctx.getFollowingUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        manuallyApprovesFollowers: false,
        publicKey: keys[0].cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
      });
    })
    .setKeyPairsDispatcher((_ctx, identifier) => (identifier === "tester" ? keyPairs : []));
  federation.setOutboxDispatcher("/users/{identifier}/outbox", () => ({ items: [] }));
  federation.setFollowersDispatcher("/users/{identifier}/followers", () => ({
    items: [...followers.values()],
  }));
  federation.setFollowingDispatcher("/users/{identifier}/following", () => ({ items: [] }));
  federation.setObjectDispatcher(Follow, "/follows/{uuid}", (_ctx, { uuid }) => follows.get(uuid) ?? null);
  federation.setObjectDispatcher(Note, "/notes/{uuid}", (_ctx, { uuid }) => notes.get(uuid) ?? null);

  const sentFollowIds = () => [...follows.values()].map((f) => f.id.href);
  const inbox = federation.setInboxListeners("/users/{identifier}/inbox", "/inbox");
  if (opts.acceptFollows) {
    // Like Mastodon for an account that does not approve followers by hand: every
    // Follow of the tester is accepted, with the Follow embedded in the Accept.
    inbox.on(Follow, async (ctx, follow) => {
      const received = {
        activity: follow.id?.href ?? null,
        actor: follow.actorId?.href ?? null,
        object: follow.objectId?.href ?? null,
      };
      emit({ event: "follow-received", ...received });
      try {
        const tester = ctx.getActorUri("tester");
        if (follow.id == null || follow.objectId?.href !== tester.href) {
          throw new Error(`not a Follow of ${tester.href}`);
        }
        const follower = await follow.getActor(ctx);
        if (follower == null || !isActor(follower) || follower.inboxId == null) {
          throw new Error(`cannot resolve the follower ${received.actor}`);
        }
        const accept = new Accept({
          id: new URL(`/accepts/${randomUUID()}`, ctx.origin),
          actor: tester,
          object: follow,
          to: follower.id,
        });
        await ctx.sendActivity({ identifier: "tester" }, follower, accept);
        followers.set(follower.id.href, follower);
        emit({
          event: "accept-sent",
          activity: accept.id.href,
          object: received.activity,
          actor: follower.id.href,
          inbox: follower.inboxId.href,
        });
      } catch (error) {
        emit({ event: "error", stage: "accept-follow", message: String(error?.message ?? error) });
      }
    });
  }
  inbox
    .on(Accept, async (ctx, accept) => {
      const object = accept.objectId?.href ?? null;
      emit({
        event: "accept",
        activity: accept.id?.href ?? null,
        object,
        actor: accept.actorId?.href ?? null,
        matches_follow: object != null && sentFollowIds().includes(object),
      });
    })
    .on(Reject, async (ctx, reject) => {
      const object = reject.objectId?.href ?? null;
      emit({
        event: "reject",
        activity: reject.id?.href ?? null,
        object,
        actor: reject.actorId?.href ?? null,
        matches_follow: object != null && sentFollowIds().includes(object),
      });
    })
    .on(Create, async (ctx, create) => {
      emit({
        event: "create",
        activity: create.id?.href ?? null,
        actor: create.actorId?.href ?? null,
        object: await describeObject(await create.getObject(ctx), ctx),
      });
    })
    .on(Update, async (ctx, update) => {
      emit({
        event: "update",
        activity: update.id?.href ?? null,
        actor: update.actorId?.href ?? null,
        object: await describeObject(await update.getObject(ctx), ctx),
      });
    })
    .on(Delete, async (ctx, del) => {
      emit({
        event: "delete",
        activity: del.id?.href ?? null,
        actor: del.actorId?.href ?? null,
        object: del.objectId?.href ?? null,
      });
    })
    .on(Activity, async (ctx, activity) => {
      emit({
        event: "other",
        type: typeName(activity),
        activity: activity.id?.href ?? null,
        actor: activity.actorId?.href ?? null,
        object: activity.objectId?.href ?? null,
      });
    })
    .onUnverifiedActivity((ctx, activity, reason) => {
      // Fedify still answers 401; this only makes the failure visible.
      emit({
        event: "unverified",
        type: typeName(activity),
        activity: activity.id?.href ?? null,
        reason: reason.type,
        keyId: reason.keyId?.href ?? null,
      });
    })
    .onError((ctx, error) => {
      emit({ event: "error", stage: "inbox", message: String(error?.message ?? error) });
    });

  const server = await serve(federation, opts.port);
  let exiting = false;
  const shutdown = (why) => {
    if (exiting) return;
    exiting = true;
    log(`exiting: ${why}`);
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  setTimeout(() => shutdown("timeout"), opts.timeoutSecs * 1000).unref();
  // Only a pipe or a terminal counts: /dev/null would end at once.
  const stdin = fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket() || process.stdin.isTTY) {
    process.stdin.on("end", () => shutdown("stdin closed"));
    process.stdin.on("error", () => shutdown("stdin error"));
    // One JSON command per line, run one after another.
    let pending = Promise.resolve();
    createInterface({ input: process.stdin }).on("line", (line) => {
      if (line.trim() === "") return;
      pending = pending.then(() => runCommand(line));
    });
    process.stdin.resume();
  }
  // Keep the process alive until one of the exits above.
  const keepAlive = setInterval(() => {}, 1 << 30);

  const ctx = federation.createContext(new URL(origin), undefined);
  const actorUri = ctx.getActorUri("tester");

  /** Publishes a public Note: a Create to every follower accepted so far. */
  async function createNote(command) {
    if (typeof command.content !== "string") throw new Error("create-note needs a content string");
    const uuid = randomUUID();
    const mentioned = command.mention ? new URL(command.mention) : null;
    const ccs = [ctx.getFollowersUri("tester"), ...(mentioned ? [mentioned] : [])];
    const note = new Note({
      id: ctx.getObjectUri(Note, { uuid }),
      attribution: actorUri,
      name: command.name ?? null,
      content: command.content,
      url: ctx.getObjectUri(Note, { uuid }),
      to: PUBLIC,
      ccs,
      replyTarget: command.inReplyTo ? new URL(command.inReplyTo) : null,
      tags: mentioned ? [new Mention({ href: mentioned })] : [],
    });
    notes.set(uuid, note);
    const create = new Create({
      id: new URL(`/creates/${uuid}`, origin),
      actor: actorUri,
      object: note,
      to: PUBLIC,
      ccs,
    });
    const recipients = [...followers.values()];
    if (mentioned && !recipients.some((r) => r.id?.href === mentioned.href)) {
      const actor = await ctx.lookupObject(mentioned.href);
      if (!isActor(actor)) throw new Error(`cannot look up the mentioned actor ${mentioned.href}`);
      recipients.push(actor);
    }
    if (recipients.length > 0) {
      await ctx.sendActivity({ identifier: "tester" }, recipients, create, { preferSharedInbox: true });
    }
    emit({
      event: "note-sent",
      activity: create.id.href,
      object: note.id.href,
      recipients: recipients.map((r) => r.id.href),
    });
  }

  async function runCommand(line) {
    let command;
    try {
      command = JSON.parse(line);
      if (command?.command !== "create-note") {
        throw new Error(`unknown command ${JSON.stringify(command?.command)}`);
      }
      await createNote(command);
    } catch (error) {
      emit({ event: "error", stage: "command", message: String(error?.message ?? error), line });
    }
  }

  emit({ event: "ready", actor: actorUri.href });

  let target;
  try {
    target = await lookupTarget(ctx, opts.target);
    emit({
      event: "lookup",
      id: target.id?.href ?? null,
      type: typeName(target),
      preferredUsername: text(target.preferredUsername),
      inbox: target.inboxId?.href ?? null,
      sharedInbox: target.endpoints?.sharedInbox?.href ?? null,
    });
    if (!isActor(target)) throw new Error(`${opts.target} is a ${typeName(target)}, not an actor`);
  } catch (error) {
    emit({ event: "error", stage: "lookup", message: String(error?.message ?? error) });
    return keepAlive;
  }

  try {
    const uuid = randomUUID();
    const follow = new Follow({
      id: ctx.getObjectUri(Follow, { uuid }),
      actor: actorUri,
      object: target.id,
      to: target.id,
    });
    follows.set(uuid, follow);
    await ctx.sendActivity({ identifier: "tester" }, target, follow);
    emit({ event: "follow-sent", id: follow.id.href, inbox: target.inboxId?.href ?? null });
  } catch (error) {
    emit({ event: "error", stage: "follow", message: String(error?.message ?? error) });
  }
  return keepAlive;
}

main().catch((error) => {
  emit({ event: "error", stage: "startup", message: String(error?.message ?? error) });
  process.exit(1);
});

// Read a Mermaid state diagram on stdin with Mermaid's own parser (the `mermaid` package, as a
// browser would run it) and print what it understood as JSON: the diagram type, each state's id
// and label, and each arrow. Used by tests/core/test_workflow_graph.py as an independent check:
// nothing here comes from the Python code under test. A diagram Mermaid cannot parse exits 1
// with Mermaid's message on stderr.
import { JSDOM } from "jsdom";

// Mermaid sanitizes labels with DOMPurify, which needs a DOM: give it jsdom's before loading.
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

// Mermaid keeps entities such as #35; as placeholders until it draws; turn them back into what
// a reader sees on the page (HTML entities, then decoded as the browser would).
const shown = (label) => {
  const html = label.replaceAll("ﬂ°°", "&#").replaceAll("ﬂ°", "&").replaceAll("¶ß", ";");
  const area = document.createElement("textarea");
  area.innerHTML = html;
  return area.value;
};

let diagram;
try {
  await mermaid.parse(text);  // loads the diagram types, then parses
  diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const ends = (id) => (id === "root_start" || id === "root_end" ? "[*]" : id);
const states = {};
for (const [id, state] of diagram.db.getStates()) {
  if (ends(id) !== "[*]") states[id] = shown((state.descriptions ?? []).join(" ") || id);
}
const arrows = diagram.db.getRelations().map((r) => [ends(r.id1), ends(r.id2), shown(r.relationTitle ?? "")]);
process.stdout.write(JSON.stringify({ type: diagram.type, states, arrows }));

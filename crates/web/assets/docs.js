// Renders /api/openapi.json as a readable list of operations, grouped by tag.
(async function () {
  const main = document.getElementById("doc");
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const child of children) node.append(child);
    return node;
  };
  const resolve = (doc, schema) => {
    if (schema && schema.$ref) return doc.components.schemas[schema.$ref.split("/").pop()];
    return schema;
  };
  const example = (doc, schema, depth = 0) => {
    schema = resolve(doc, schema) || {};
    if (depth > 4) return null;
    if (schema.enum) return schema.enum.find((v) => v !== null);
    if (schema.oneOf) return example(doc, schema.oneOf.find((s) => s.type !== "null"), depth + 1);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
    if (type === "object" || schema.properties) {
      const out = {};
      for (const [k, v] of Object.entries(schema.properties || {})) out[k] = example(doc, v, depth + 1);
      return out;
    }
    if (type === "array") return [example(doc, schema.items, depth + 1)];
    if (type === "integer") return 1;
    if (type === "boolean") return true;
    if (schema.format === "date-time") return "2026-01-01T12:00:00Z";
    return "text";
  };
  let doc;
  try {
    doc = await (await fetch("/api/openapi.json")).json();
  } catch (e) {
    main.textContent = "Could not load /api/openapi.json: " + e;
    return;
  }
  main.replaceChildren(el("p", {}, doc.info.description || ""));
  const byTag = new Map((doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags || ["other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, { tag: { name: tag }, ops: [] });
      byTag.get(tag).ops.push({ path, method, op });
    }
  }
  for (const { tag, ops } of byTag.values()) {
    main.append(el("h2", {}, tag.name), el("p", {}, tag.description || ""));
    for (const { path, method, op } of ops) {
      const body = el("div", { class: "body" });
      if (op.description || op.summary) body.append(el("p", {}, op.description || op.summary));
      if (op.security) body.append(el("p", {}, "Needs a bearer token."));
      if (op.parameters && op.parameters.length) {
        const table = el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"), el("th", {}, "description")));
        for (const p of op.parameters) table.append(el("tr", {}, el("td", {}, el("code", {}, p.name)), el("td", {}, p.in), el("td", {}, p.description || "")));
        body.append(table);
      }
      const req = op.requestBody && op.requestBody.content["application/json"];
      if (req) body.append(el("p", {}, "Request body:"), el("pre", {}, JSON.stringify(example(doc, req.schema), null, 2)));
      const codes = Object.keys(op.responses || {}).join(", ");
      body.append(el("p", {}, "Responses: " + codes));
      main.append(el("details", {}, el("summary", {}, el("span", { class: "method " + method }, method.toUpperCase()), el("code", {}, path), " ", op.summary || ""), body));
    }
  }
})();

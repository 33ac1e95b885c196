// The JavaScript the search, profile and sign-in pages send, as it travels (brotli, gzip, none), on the e2e stack:
//   node e2e/run.mjs --script bench/js-sent.mjs
import { scriptTransfer } from "./transfer.mjs";

const { E2E_WEB: WEB, E2E_API: API } = process.env;
const seller = (await (await fetch(`${API}/services?q=fontaneria&page_size=1`)).json()).items[0].seller_id;
for (const [label, url] of [["search", `${WEB}/buscar?q=fontaneria`], ["profile", `${WEB}/vendedores/${seller}`],
                            ["sign-in", `${WEB}/entrar`]]) {
  const sent = {};
  for (const encoding of ["gzip, deflate, br", "gzip", "identity"]) sent[encoding] = await scriptTransfer(url, encoding);
  const kb = (r) => `${r.sentKB.toFixed(1)} KB`;
  console.log(`${label}: ${sent.identity.scripts} scripts; brotli ${kb(sent["gzip, deflate, br"])}, gzip ${kb(sent.gzip)}, `
              + `none ${kb(sent.identity)}; ${sent.gzip.caches.join(" | ")}`);
}

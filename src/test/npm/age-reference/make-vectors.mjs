// Vectors made with the reference implementation (typage, npm age-encryption 0.3.1).
import * as age from 'age-encryption';
import fs from 'fs';
const v = {};
const idPq = await age.generateHybridIdentity();
const recPq = await age.identityToRecipient(idPq);
const idX = await age.generateX25519Identity();
const recX = await age.identityToRecipient(idX);
const other = await age.generateHybridIdentity();
const enc = async (recs, text) => { const e = new age.Encrypter(); recs.forEach(r => e.addRecipient(r)); return age.armor.encode(await e.encrypt(text)); };
v.hybrid = { identity: idPq, recipient: recPq, plaintext_utf8: 'sops data key 0123456789abcdef!', armored: await enc([recPq], 'sops data key 0123456789abcdef!') };
v.hybrid_two_recipients = { identity: idPq, recipients: [await age.identityToRecipient(other), recPq], plaintext_utf8: 'two hybrid stanzas, second is ours', armored: await enc([await age.identityToRecipient(other), recPq], 'two hybrid stanzas, second is ours') };
v.x25519_for_mixing = { identity: idX, recipient: recX };
v.other_hybrid_identity = other;
fs.writeFileSync(process.argv[2], JSON.stringify(v, null, 1) + '\n');

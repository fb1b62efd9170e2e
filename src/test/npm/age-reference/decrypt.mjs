// Opens an armored age file with identities, using age's reference implementation (typage).
// usage: node decrypt.mjs IDENTITY_FILE ARMORED_FILE   -> prints the plaintext as hex on stdout
import * as age from 'age-encryption';
import fs from 'fs';
const identities = fs.readFileSync(process.argv[2], 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
const d = new age.Decrypter();
identities.forEach(i => d.addIdentity(i));
const plain = await d.decrypt(age.armor.decode(fs.readFileSync(process.argv[3], 'utf8')));
process.stdout.write(Buffer.from(plain).toString('hex') + '\n');

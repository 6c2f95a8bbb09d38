// Writes oclif.manifest.json from the built commands so `receval --help` does not import them.
import {Config} from '@oclif/core'
import {rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {dirname, join} from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// Config.load does not pass ignoreManifest on to the root plugin, which would read the old
// manifest back and never pick up new commands or flags: remove it first.
rmSync(join(root, 'oclif.manifest.json'), {force: true})
const config = await Config.load({root, ignoreManifest: true})
const plugin = config.plugins.get(config.pjson.name)
const manifest = {...plugin.manifest, version: config.version}
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(manifest, null, 2) + '\n')

// Writes oclif.manifest.json from the built commands so `receval --help` does not import them.
import {Config} from '@oclif/core'
import {rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {dirname, join} from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// oclif reads an existing manifest even with ignoreManifest, so new commands and flags would never appear
rmSync(join(root, 'oclif.manifest.json'), {force: true})
const config = await Config.load({root, ignoreManifest: true})
const plugin = config.plugins.get(config.pjson.name)
const manifest = {...plugin.manifest, version: config.version}
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(manifest, null, 2) + '\n')

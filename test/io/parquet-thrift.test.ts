import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {readPageHeader} from '../../src/io/parquet-thrift.js'

// readPageHeader against hyparquet's own page header parser on every page of the shipped
// Parquet fixtures (DuckDB's data pages v1, hyparquet-writer's v2); skipped without hyparquet.
type Meta = {row_groups: {columns: {meta_data: {data_page_offset: bigint; dictionary_page_offset?: bigint; total_compressed_size: bigint}}[]}[]}
type Header = {
  type: string
  uncompressed_page_size: number
  compressed_page_size: number
  data_page_header?: {num_values: number; encoding: string; definition_level_encoding: string}
  dictionary_page_header?: {num_values: number; encoding: string}
  data_page_header_v2?: {num_values: number; num_nulls: number; num_rows: number; encoding: string; definition_levels_byte_length: number; repetition_levels_byte_length: number; is_compressed: boolean}
}
interface Mods {
  parquetMetadata: (b: ArrayBuffer) => Meta
  parquetHeader: (r: {view: DataView; offset: number}) => Header
  constants: {PageTypes: string[]; Encodings: string[]}
}
const mods: Mods | undefined = await Promise.all([import('hyparquet'), import('hyparquet/src/column.js'), import('hyparquet/src/constants.js')]).then(
  ([a, b, c]) => ({
    parquetMetadata: (a as {parquetMetadata: (b: ArrayBuffer) => Meta}).parquetMetadata,
    parquetHeader: (b as {parquetHeader: (r: {view: DataView; offset: number}) => Header}).parquetHeader,
    constants: c as {PageTypes: string[]; Encodings: string[]},
  }),
  () => undefined,
)

test('readPageHeader reads every page header of the fixtures as hyparquet does', {skip: mods ? false : 'hyparquet is not installed'}, () => {
  if (!mods) return
  const {PageTypes, Encodings} = mods.constants
  let pages = 0
  for (const f of ['ctr-2000.snappy.parquet', 'ctr-2000.gzip.parquet', 'typed.parquet', 'nulls.parquet', 'v2.parquet']) {
    const file = readFileSync(join(ROOT, 'fixtures/parquet', f))
    const view = new DataView(file.buffer, file.byteOffset, file.length)
    const meta: Meta = mods.parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.length))
    for (const g of meta.row_groups) {
      for (const {meta_data: m} of g.columns) {
        let pos: number = Number(m.dictionary_page_offset || m.data_page_offset)
        const end = pos + Number(m.total_compressed_size)
        while (pos < end) {
          const got = readPageHeader(file, pos, end)
          const reader: {view: DataView; offset: number} = {view, offset: pos}
          const want = mods.parquetHeader(reader)
          const where = `${f} page at ${pos}`
          assert.equal(got.headerLength, reader.offset - pos, where)
          assert.equal(PageTypes[got.type], want.type, where)
          assert.equal(got.uncompressedSize, want.uncompressed_page_size, where)
          assert.equal(got.compressedSize, want.compressed_page_size, where)
          const d = want.data_page_header ?? want.dictionary_page_header ?? want.data_page_header_v2
          assert.ok(d, where)
          assert.equal(got.numValues, d.num_values, where)
          assert.equal(Encodings[got.encoding], d.encoding, where)
          if (want.data_page_header) assert.equal(Encodings[got.defEncoding], want.data_page_header.definition_level_encoding, where)
          const v2 = want.data_page_header_v2
          if (v2) assert.deepEqual([got.numNulls, got.numRows, got.defLength, got.repLength, got.compressed], [v2.num_nulls, v2.num_rows, v2.definition_levels_byte_length, v2.repetition_levels_byte_length, v2.is_compressed], where)
          pos += got.headerLength + got.compressedSize
          pages++
        }
      }
    }
  }
  assert.ok(pages > 50, `${pages} pages`)
})

test('readPageHeader fails with a RangeError on a truncated or empty header', () => {
  assert.throws(() => readPageHeader(Uint8Array.of(0x15, 0x00), 0, 2), RangeError)
  assert.throws(() => readPageHeader(Uint8Array.of(0x00), 0, 1), /page header without type or sizes/)
})

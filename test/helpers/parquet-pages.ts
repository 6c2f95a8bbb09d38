import {readFileSync} from 'node:fs'
import {readPageHeader} from '../../src/io/parquet-thrift.js'

/** One page of a Parquet file: its compressed body, its uncompressed size and where it starts. */
export interface RawPage {
  body: Uint8Array
  size: number
  where: string
}

type Meta = {row_groups: {columns: {meta_data: {data_page_offset: bigint; dictionary_page_offset?: bigint; total_compressed_size: bigint}}[]}[]}

/** Every page of every column chunk of a Parquet file, in file order (needs hyparquet for the footer). */
export async function parquetPages(path: string): Promise<RawPage[]> {
  const file = readFileSync(path)
  const {parquetMetadata} = (await import('hyparquet')) as {parquetMetadata: (b: ArrayBuffer) => Meta}
  const pages: RawPage[] = []
  for (const g of parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.length)).row_groups) {
    for (const {meta_data: m} of g.columns) {
      let pos = Number(m.dictionary_page_offset || m.data_page_offset)
      const end = pos + Number(m.total_compressed_size)
      while (pos < end) {
        const h = readPageHeader(file, pos, end)
        pages.push({body: file.subarray(pos + h.headerLength, pos + h.headerLength + h.compressedSize), size: h.uncompressedSize, where: `page at ${pos}`})
        pos += h.headerLength + h.compressedSize
      }
    }
  }
  return pages
}

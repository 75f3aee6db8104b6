/** capa's version, written into the files it saves (`generated_by` / `generatedBy`). */
export const CAPA_VERSION = '0.1.0';

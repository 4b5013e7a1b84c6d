extension String {
    /// ASCII letters and digits as their full-width forms (０１２, ＴＭ), as the 中間サーバー
    /// writes identifiers inside its Japanese error sentences.
    public var fullWidth: String {
        String(
            String.UnicodeScalarView(
                unicodeScalars.map { scalar in
                    guard scalar.value >= 0x21, scalar.value <= 0x7E, let wide = Unicode.Scalar(scalar.value + 0xFEE0) else { return scalar }
                    return wide
                }))
    }
}

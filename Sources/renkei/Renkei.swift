import ArgumentParser
@main struct Renkei: ParsableCommand { func run() {} }

import RegistryCore
@main struct EnvRegMain { static func main() {} }

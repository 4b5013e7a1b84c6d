import ServiceLifecycle
import Crypto

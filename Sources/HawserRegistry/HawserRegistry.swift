@_exported import HawserCore

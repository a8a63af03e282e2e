import HawserCore; print(HawserCoreVersion.string)

#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (Fuzz/corpus/TARGET/) from the real formats of
domain.md §6.2 (the 電文 and its 副本 XML) and §6.3 (the 一括照会 .DAT), the REST bodies, the
wire's length-prefixed protobuf envelopes and the YAML configuration. Synthetic data only.
Run from the repository root; the files it writes are committed."""
import os, shutil, struct

root = "Fuzz/corpus"

def write(target, name, data):
    os.makedirs(f"{root}/{target}", exist_ok=True)
    with open(f"{root}/{target}/{name}", "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

def message(kind, body, mode="0"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <MessageHeader>
    <MSGID>M1</MSGID><MSGTypeID>{kind}</MSGTypeID><MSGMode>{mode}</MSGMode>
    <SourceSystemID>K000000001</SourceSystemID><DestinationSystemID>T000000001</DestinationSystemID>
    <ReceptionNumber/><MSGResult/>
  </MessageHeader>
  <MessageBody>{body}</MessageBody>
</Message>
"""

copy = ('<TM00000000000002 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Version="1">'
        '<K0001>2018</K0001><K0002 Version="1" TimeAndDateOfUpdate="2018-06-01">32000</K0002>'
        '<K0004 ReasonOfNull="NotConvered" xsi:nil="true"/></TM00000000000002>')
entry = f"""<InformationOfSPIRegistrationDelete>
  <SystemShikibetsuCode/><ShikibetsuCode/><KojinNo/>
  <RecordIdentificationNumber>1</RecordIdentificationNumber>
  <IntegratedAddressNumber>000000000001001</IntegratedAddressNumber>
  <SpecificPersonalInformationCode>TM00000000000002</SpecificPersonalInformationCode>
  <DataSetIdentificationItemCode>0001</DataSetIdentificationItemCode>
  <DataSetRecordKey>2018</DataSetRecordKey><SPIMajorVersion>1</SPIMajorVersion>
  <ParentDataSetRecordKey/><PublicationDate>2018-06-01</PublicationDate><PublishedEndDate/>
  <AdministrativeRegionCode>213</AdministrativeRegionCode>
  <DuplicateCopyData><![CDATA[{copy}]]></DuplicateCopyData>
</InformationOfSPIRegistrationDelete>"""
registration = ("<RequestSourceUnitCode>3595115400</RequestSourceUnitCode><RequestSourceUserID>user01</RequestSourceUserID>"
                f"<SPIRegistrationDeleteList><SegmentOfRegistrationDelete>1</SegmentOfRegistrationDelete>{entry}</SPIRegistrationDeleteList>")
inquiry = ("<InquiryRequest><AddressNumber>1000001</AddressNumber><LegalItemNumber>42</LegalItemNumber>"
           "<SpecificPersonalInformationCode>TM00000000000002</SpecificPersonalInformationCode><ProviderCode>sapporo</ProviderCode>"
           "<FiscalYear>2018</FiscalYear><Asynchronous>1</Asynchronous></InquiryRequest>")
write("xml", "registration.xml", message("IF_DBM_20113_R01", registration))
write("xml", "registration-test-mode.xml", message("IF_DBM_20113_R01", registration, mode="1"))
write("xml", "deletion.xml", message("IF_DBM_20113_R01", registration.replace("<SegmentOfRegistrationDelete>1", "<SegmentOfRegistrationDelete>2")))
write("xml", "inquiry.xml", message("IF_SKI_10101_R01", inquiry))
write("xml", "inquiry-my-number.xml", message("IF_SKI_10101_R01", inquiry.replace("<AddressNumber>1000001</AddressNumber>", "<KojinNo>171794160758</KojinNo>")))
write("xml", "result.xml", message("IF_SKI_10102_R01", "<ReceptionNumber>R2026120100000001</ReceptionNumber>"))
# The markup the parser must read or refuse: comments, processing instructions, references, namespaces.
write("xml", "markup.xml", '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<!-- c --><?pi data?>\n'
      '<Message xmlns:a="urn:a" a:x=\'1\'><MessageHeader><MSGTypeID>IF_SKI_&#x31;0101_R01</MSGTypeID><MSGMode>&#48;</MSGMode>'
      '<SourceSystemID>K&amp;1</SourceSystemID><DestinationSystemID>T&lt;1&gt;</DestinationSystemID></MessageHeader>'
      '<MessageBody><!-- x --><![CDATA[ <not markup> ]]></MessageBody></Message><!-- after -->\n')
write("xml", "bom.xml", b"\xef\xbb\xbf" + message("IF_SKI_10102_R01", "<ReceptionNumber>R1</ReceptionNumber>").encode())

def batch_row(address, provider="0101100200000000", info="TM00000000000002", procedure="JT90420000000001"):
    fields = ["01", str(address).zfill(15), " " * 15, "20261126100000000", "3595115400".ljust(20), "user01".ljust(20),
              "0101213100000000", "0", "JM01000000121000", procedure, " " * 16, " " * 16, provider.ljust(16), info,
              "0", "0", " " * 8, " " * 8]
    return ",".join(fields)
write("batch", "three-rows.dat", "\r\n".join(batch_row(1000001 + i) for i in range(3)) + "\r\n")
write("batch", "local-government-code.dat", batch_row(1000001, provider="01100") + "\r\n")
write("batch", "dates.dat", batch_row(1000002).replace(" " * 8 + "," + " " * 8, "20250401,20260331") + "\r\n")
write("batch", "refused.dat", batch_row(1000003, info="TM99999999999999") + "\n" + "01,short\r\n")

write("json", "inquiry.json", '{"addressNumber":"1000001","item":"42","provider":"sapporo","information":"TAX","mode":"async","timeoutMs":5000,"fiscalYear":"2018"}')
write("json", "inquiry-my-number.json", '{"myNumber":"171794160758","item":"42","provider":"sapporo","information":"TM00000000000002","testMode":true,"departmentCode":"3595115400","userId":"user01"}')
write("json", "duplicates.json", '{"entries":[{"addressNumber":"1000001","information":"TM00000000000002","dataSet":"0001","recordKey":"2018","version":1,'
      '"publicationDate":"2018-06-01","items":[{"code":"K0001","value":"2018"},{"code":"K0004","reasonOfNull":"NotConvered"}]}]}')
write("json", "link-code.json", '{"addressNumber":"1000001"}')
write("json", "fault.json", '{"kind":"latency","tenant":"sapporo","distribution":"exponential","latencyMs":200,"probability":0.5,"count":10}')
write("json", "flag.json", '{"tenant":"sapporo","kind":"manual_response","addressNumber":"1000001","information":"TM00000000000002","enabled":true}')

write("target", "records.txt", "/v1/records?since=2026-04-01&item=42&information=TM00000000000002&counterpart=sapporo&test=1&limit=10")
write("target", "percent.txt", "/v1/inquiries/R2026%2F1?limit=%31%30&item=56-2&x=%E3%81%82")
write("target", "plain.txt", "/v1/records")

def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out

def field(number, wire, value):
    key = varint(number << 3 | wire)
    if wire == 0:
        return key + varint(value)
    return key + varint(len(value)) + value

def envelope(id, method, body, timeout=5_000_000):
    message = field(1, 0, id) + field(3, 2, method.encode()) + field(4, 0, timeout) + field(6, 2, body)
    return struct.pack(">I", len(message)) + message

query = (field(1, 2, b"42") + field(2, 2, b"JT90420000000001") + field(3, 2, b"TM00000000000002") + field(4, 2, b"0101100200000000")
         + field(5, 2, b"2018"))
write("frame", "atena-inquire.bin", envelope(1, "atena.inquire", field(1, 2, b"1000001") + field(3, 2, query)))
write("frame", "two-frames.bin", envelope(2, "ping", b"") + envelope(3, "atena.result", field(1, 2, b"R2026120100000001")))
write("frame", "registration.bin", envelope(4, "ms.registerDuplicates", field(2, 2, field(1, 2, b"000000000001001") + field(2, 2, field(1, 2, b"TM00000000000002")))))
write("frame", "partial.bin", envelope(5, "nws.inquire", query)[:-3])

shutil.copy("config/topology.yaml", f"{root}/yaml/topology.yaml") if os.path.isdir(f"{root}/yaml") else (os.makedirs(f"{root}/yaml"), shutil.copy("config/topology.yaml", f"{root}/yaml/topology.yaml"))
shutil.copy("config/scenarios/training.yaml", f"{root}/yaml/scenario-training.yaml")
shutil.copy("config/load/default.yaml", f"{root}/yaml/load-default.yaml")
